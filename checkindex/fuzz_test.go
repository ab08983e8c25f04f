package checkindex_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/tallycredit/tally/checkindex"
)

// model is the index as a plain list: what Check must answer.
type model struct {
	entries []mentry
	lastID  int64
}

type mentry struct {
	id         int64
	hash       [checkindex.HashSize]byte
	list       uint8
	start, end uint32
	name       uint32
}

func (m *model) check(hash [checkindex.HashSize]byte, mask uint64, at, name uint32, checkName bool) checkindex.Result {
	var res checkindex.Result
	nameSeen := !checkName
	for i := len(m.entries) - 1; i >= 0; i-- { // newest first, as the index chains them
		e := m.entries[i]
		if e.hash != hash {
			continue
		}
		if e.name == name {
			nameSeen = true
		}
		if !res.Listed && mask&(1<<e.list) != 0 && e.start <= at && at < e.end {
			res.Listed, res.EntryID = true, e.id
		}
	}
	if res.Listed && !nameSeen {
		res.Listed, res.NameMismatch = false, true
	}
	return res
}

// fuzzInput reads a fuzz input as the rows a store would give the loader:
// each row's ID step, lookup hash (of any length), list number, times and
// name, then removals.
type fuzzInput struct {
	data []byte
}

func (in *fuzzInput) byte() byte {
	if len(in.data) == 0 {
		return 0
	}
	b := in.data[0]
	in.data = in.data[1:]
	return b
}

func (in *fuzzInput) bytes(n int) []byte {
	n = min(n, len(in.data))
	b := in.data[:n]
	in.data = in.data[n:]
	return b
}

func (in *fuzzInput) u32() uint32 {
	var b [4]byte
	copy(b[:], in.bytes(4))
	return binary.LittleEndian.Uint32(b[:])
}

// The loader takes rows of any shape without a panic, refuses exactly the
// damaged ones (a lookup hash not of HashSize bytes, a list past
// MaxLists), and the index it builds (with removals) answers every check
// as a plain list of the entries does.
func FuzzCheckIndexLoad(f *testing.F) {
	f.Add([]byte{1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 9, 0, 0, 0, 'a'})
	f.Add([]byte("\x02\x20aaaaaaaabbbbbbbbccccccccdddddddd\x01\x05\x00\x00\x00\xff\xff\xff\xff\x00\x02\x20aaaaaaaabbbbbbbbccccccccdddddddd\x3f\x00\x00\x00\x00\x10\x00\x00\x00\x01x"))
	f.Add([]byte("\x01\x1faaaaaaaabbbbbbbbccccccccddddddd\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00"))
	f.Add([]byte("\x01\x20aaaaaaaabbbbbbbbccccccccdddddddd\x40\x00\x00\x00\x00\x01\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		in := &fuzzInput{data: data}
		var x checkindex.Index
		var m model
		var hashes [][checkindex.HashSize]byte
		var batch []checkindex.Entry
		id := int64(0)
		for rows := 0; len(in.data) > 0 && rows < 2000; rows++ {
			kind := in.byte()
			if kind%5 == 4 { // a removal of an entry read before
				if len(m.entries) == 0 {
					continue
				}
				x.Add(batch)
				batch = batch[:0]
				e := &m.entries[int(in.byte())%len(m.entries)]
				on := in.u32()
				if !x.End(e.id, time.Unix(int64(on), 0)) {
					t.Fatalf("End(%d): the index does not hold an entry it was given", e.id)
				}
				e.end = min(e.end, on)
				continue
			}
			id += int64(kind % 3) // 0: the same ID again, which the index ignores
			n := int(in.byte())
			if n > 40 {
				n = checkindex.HashSize
			}
			lookup := in.bytes(n)
			if len(hashes) > 0 && kind&0x80 != 0 && len(lookup) == checkindex.HashSize {
				lookup = hashes[int(kind)%len(hashes)][:] // another entry of a subject already held
			}
			list := int(in.byte())
			start, end := in.u32(), in.u32()
			name := string(in.bytes(int(in.byte() % 8)))
			e, err := checkindex.NewEntry(id, lookup, list, time.Unix(int64(start), 0), time.Unix(int64(end), 0), name)
			damaged := len(lookup) != checkindex.HashSize || list >= checkindex.MaxLists
			if (err != nil) != damaged {
				t.Fatalf("NewEntry with a %d-byte hash and list %d: %v", len(lookup), list, err)
			}
			if err != nil {
				continue
			}
			batch = append(batch, e)
			if id > m.lastID {
				m.entries = append(m.entries, mentry{id: id, hash: e.Hash, list: e.List, start: start, end: end, name: e.Name})
				m.lastID = id
				hashes = append(hashes, e.Hash)
			}
		}
		x.Add(batch)
		if x.Len() != len(m.entries) || x.LastID() != m.lastID {
			t.Fatalf("index holds %d entries up to ID %d, want %d up to %d", x.Len(), x.LastID(), len(m.entries), m.lastID)
		}
		unknown := [checkindex.HashSize]byte{0xff, 0xfe}
		for i, h := range append(hashes, unknown) {
			for _, at := range []uint32{0, 1, 1 << 20, 1<<32 - 1, uint32(i) * 7919} {
				for _, mask := range []uint64{0, 1, 1 << 63, ^uint64(0), uint64(i) * 0x9e3779b97f4a7c15} {
					for _, checkName := range []bool{false, true} {
						name := checkindex.NameTag("x")
						if got, want := x.Check(&h, mask, at, name, checkName), m.check(h, mask, at, name, checkName); got != want {
							t.Fatalf("Check(%x, mask %x, at %d, checkName %v) = %+v, want %+v", h[:4], mask, at, checkName, got, want)
						}
					}
				}
			}
		}
	})
}
