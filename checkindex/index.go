// Package checkindex is the in-memory index that answers verifier checks
// ("may this identifier buy a flight ticket now?") without a database
// round trip. It holds, for every list entry whose term has not ended,
// the subject's 32-byte lookup hash, the list, the instants the entry
// starts and stops counting, a tag of the decision's name and the entry's
// ID, in about 62 bytes an entry: 15 million entries fit in about 1.2 GB.
//
// Entries live in fixed-size chunks (no large reallocation while loading)
// and are found through an open-addressing table of 64-bit slots keyed by
// the hash's first 8 bytes; a hit is confirmed against the full hash.
// Entries of one subject are chained newest first. The Index does no
// I/O; the Checker loads it through the ledger, keeps it current and
// answers checks from it.
package checkindex

import (
	"encoding/binary"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// HashSize is the length of a lookup hash.
const HashSize = 32

// MaxLists is how many lists the index tells apart: a measure's lists are
// a 64-bit mask.
const MaxLists = 64

const (
	chunkBits = 16
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
	minSlots  = 1 << 10
)

// slot is one entry as stored: 64 bytes, one cache line, so that a check
// that finds its subject reads one line for each of its entries.
type slot struct {
	hash  [HashSize]byte
	id    int64
	start uint32 // Unix seconds, first second in effect
	end   uint32 // Unix seconds, first second no longer in effect
	next  uint32 // the subject's older entry, as row+1; 0: none
	name  uint32 // NameTag of the decision's name
	list  uint8
	_     [7]byte
}

// chunk holds chunkSize entries.
type chunk [chunkSize]slot

// Index is the check index. It is safe for concurrent use: checks share a
// read lock, changes take the write lock. The zero value is an empty
// index.
type Index struct {
	mu     sync.RWMutex
	chunks []*chunk
	rows   uint32        // entries stored
	slots  []uint64      // tag<<32 | row+1; 0 is empty
	keys   int           // occupied slots (distinct subjects)
	lastID int64         // the largest entry ID added
	sink   atomic.Uint32 // keeps CheckMany's early reads from being optimised away
}

// Entry is one list entry as the index takes it.
type Entry struct {
	ID    int64
	Hash  [HashSize]byte
	List  uint8 // the list's number, below MaxLists
	Start time.Time
	End   time.Time
	Name  uint32 // NameTag of the decision's name
}

// NewEntry makes an entry from a stored list entry's parts as the store
// gives them: a lookup hash of HashSize bytes and a list number below
// MaxLists, or an error naming the entry. A damaged row is refused
// rather than padded or truncated into the hash of someone else.
func NewEntry(id int64, lookup []byte, list int, start, end time.Time, name string) (Entry, error) {
	if len(lookup) != HashSize {
		return Entry{}, fmt.Errorf("check index: entry %d: a lookup hash of %d bytes, want %d", id, len(lookup), HashSize)
	}
	if list < 0 || list >= MaxLists {
		return Entry{}, fmt.Errorf("check index: entry %d: list number %d, want 0 to %d", id, list, MaxLists-1)
	}
	e := Entry{ID: id, List: uint8(list), Start: start, End: end, Name: NameTag(name)}
	copy(e.Hash[:], lookup)
	return e, nil
}

// Result is the answer of Check.
type Result struct {
	// Listed reports that an entry in effect restricts the measure.
	Listed bool
	// NameMismatch reports that an entry restricts the measure but the
	// name given matches none of the subject's entries.
	NameMismatch bool
	// EntryID is the restricting entry, when Listed or NameMismatch.
	EntryID int64
}

// Reserve makes room for n entries in the slot table, so that a load of
// known size does not rehash.
func (x *Index) Reserve(n int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.grow(n)
}

// Len returns the number of entries held.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return int(x.rows)
}

// LastID returns the largest entry ID added, 0 when none.
func (x *Index) LastID() int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.lastID
}

// Add adds entries, which must come in increasing ID order (as a load and
// its catch-ups read them); an entry whose ID is not above LastID is
// ignored, so adding the same entries twice is harmless.
func (x *Index) Add(es []Entry) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.grow(x.keys + len(es))
	for i := range es {
		x.add(&es[i])
	}
}

func (x *Index) add(e *Entry) {
	if e.ID <= x.lastID {
		return
	}
	row := x.rows
	if int(row>>chunkBits) == len(x.chunks) {
		x.chunks = append(x.chunks, new(chunk))
	}
	c, i := x.chunks[row>>chunkBits], row&chunkMask
	c[i].hash, c[i].id, c[i].list, c[i].name = e.Hash, e.ID, e.List, e.Name
	c[i].start, c[i].end = ceilSeconds(e.Start), floorSeconds(e.End)
	x.rows++
	x.lastID = e.ID
	s, found := x.find(&e.Hash)
	if found {
		c[i].next = uint32(x.slots[s])
	} else {
		x.keys++
	}
	x.slots[s] = uint64(tag(&e.Hash))<<32 | uint64(row+1)
}

// End makes the entry with the given ID stop counting at the instant end,
// if that is earlier than it did: a removal. It reports whether the index
// holds the entry.
func (x *Index) End(id int64, end time.Time) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := int(x.rows)
	r := sort.Search(n, func(r int) bool { return x.chunks[r>>chunkBits][r&chunkMask].id >= id })
	if r == n {
		return false
	}
	c, i := x.chunks[r>>chunkBits], r&chunkMask
	if c[i].id != id {
		return false
	}
	if s := floorSeconds(end); s < c[i].end {
		c[i].end = s
	}
	return true
}

// Check answers for one subject, by its lookup hash, whether an entry of
// one of the lists in mask is in effect at the Unix second at. With
// checkName, name (a NameTag) must match the name of one of the subject's
// entries, or a restricting entry answers NameMismatch instead of Listed.
func (x *Index) Check(hash *[HashSize]byte, mask uint64, at uint32, name uint32, checkName bool) Result {
	x.mu.RLock()
	r := x.check(hash, mask, at, name, checkName)
	x.mu.RUnlock()
	return r
}

// CheckMany is Check for many subjects under one read lock; out[i] is the
// answer for hashes[i].
func (x *Index) CheckMany(hashes [][HashSize]byte, names []uint32, mask uint64, at uint32, checkName bool, out []Result) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if len(x.slots) == 0 {
		clear(out[:len(hashes)])
		return
	}
	// Lookups go in groups: each group first reads its slots and then the
	// entries they point to, so that the memory reads of a group, which do
	// not depend on each other, overlap instead of waiting in turn.
	const group = 16
	smask := uint64(len(x.slots) - 1)
	var sink byte
	for base := 0; base < len(hashes); base += group {
		end := min(base+group, len(hashes))
		var first [group]uint64
		for k := base; k < end; k++ {
			first[k-base] = x.slots[binary.LittleEndian.Uint64(hashes[k][:8])&smask]
		}
		for k := base; k < end; k++ {
			if v := first[k-base]; v != 0 {
				r := uint32(v) - 1
				sink ^= x.chunks[r>>chunkBits][r&chunkMask].hash[0]
			}
		}
		for k := base; k < end; k++ {
			out[k] = x.check(&hashes[k], mask, at, names[k], checkName)
		}
	}
	x.sink.Store(uint32(sink))
}

func (x *Index) check(hash *[HashSize]byte, mask uint64, at uint32, name uint32, checkName bool) Result {
	if len(x.slots) == 0 {
		return Result{}
	}
	s, found := x.find(hash)
	if !found {
		return Result{}
	}
	var res Result
	nameSeen := !checkName
	for ref := uint32(x.slots[s]); ref != 0; {
		r := ref - 1
		c, i := x.chunks[r>>chunkBits], r&chunkMask
		if c[i].name == name {
			nameSeen = true
		}
		if !res.Listed && mask&(1<<c[i].list) != 0 && c[i].start <= at && at < c[i].end {
			res.Listed, res.EntryID = true, c[i].id
		}
		ref = c[i].next
	}
	if res.Listed && !nameSeen {
		res.Listed, res.NameMismatch = false, true
	}
	return res
}

// find returns the slot of hash: the one that holds it (found), or the
// empty slot where it would go.
func (x *Index) find(hash *[HashSize]byte) (int, bool) {
	h := binary.LittleEndian.Uint64(hash[:8])
	t := uint64(uint32(h >> 32))
	mask := uint64(len(x.slots) - 1)
	for s := h & mask; ; s = (s + 1) & mask {
		v := x.slots[s]
		if v == 0 {
			return int(s), false
		}
		if v>>32 == t {
			r := uint32(v) - 1
			if x.chunks[r>>chunkBits][r&chunkMask].hash == *hash {
				return int(s), true
			}
		}
	}
}

// grow makes the slot table big enough for keys subjects at a load of at
// most one half, rehashing what it holds.
func (x *Index) grow(keys int) {
	n := max(minSlots, len(x.slots))
	for n < 2*keys {
		n *= 2
	}
	if n == len(x.slots) {
		return
	}
	old := x.slots
	x.slots = make([]uint64, n)
	for _, v := range old {
		if v == 0 {
			continue
		}
		r := uint32(v) - 1
		s, _ := x.find(&x.chunks[r>>chunkBits][r&chunkMask].hash)
		x.slots[s] = v
	}
}

func tag(hash *[HashSize]byte) uint32 {
	return uint32(binary.LittleEndian.Uint64(hash[:8]) >> 32)
}

// Seconds converts an instant to the index's Unix seconds, rounding down.
func Seconds(t time.Time) uint32 { return floorSeconds(t) }

func floorSeconds(t time.Time) uint32 {
	s := t.Unix()
	switch {
	case s < 0:
		return 0
	case s > 1<<32-1:
		return 1<<32 - 1
	}
	return uint32(s)
}

func ceilSeconds(t time.Time) uint32 {
	s := floorSeconds(t)
	if t.Nanosecond() > 0 && s < 1<<32-1 {
		s++
	}
	return s
}

// NameTag returns a 32-bit tag of a name, ignoring white space and the
// case of Latin letters, to compare the name a check gives with the name
// of the decision. It is FNV-1a; it is a tag, not a secret.
func NameTag(name string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(name); i++ {
		b := name[i]
		switch {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r':
			continue
		case 'a' <= b && b <= 'z':
			b -= 'a' - 'A'
		}
		h ^= uint32(b)
		h *= 16777619
	}
	return h
}
