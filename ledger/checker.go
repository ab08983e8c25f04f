package ledger

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/rulebook"
)

// ErrIndexNotReady is returned by checks while the check index is loading,
// or when it has not caught up with the database for longer than
// CheckerOptions.MaxStale: a check never answers "allowed" then.
var ErrIndexNotReady = errors.New("the check index is not ready: retry shortly")

// MaxBatch is the most identifiers one batch check may carry.
const MaxBatch = 10000

// The defaults of CheckerOptions.
const (
	DefaultPoll     = 250 * time.Millisecond
	DefaultFlush    = time.Second
	DefaultMaxStale = 5 * time.Second
)

// CheckerOptions tunes a Checker. Zero fields take the defaults.
type CheckerOptions struct {
	// Poll is how often the index catches up with entries and removals
	// written by other processes; changes made through the Service reach
	// it before their use case returns.
	Poll time.Duration
	// Flush is how often the check counters are added to the database.
	Flush time.Duration
	// MaxStale is how long the index may go without catching up before
	// checks answer ErrIndexNotReady.
	MaxStale time.Duration
	// Progress, if set, is told how many entries the load has read.
	Progress func(entries int)
}

// Checker answers verifier checks from an in-memory index of the list
// entries in effect, loaded at start and kept current. It is safe for
// concurrent use. Build one with Service.NewChecker and Start it.
type Checker struct {
	svc  *Service
	opts CheckerOptions
	idx  checkindex.Index
	boot string // a random prefix that makes reference numbers unique across restarts
	seq  atomic.Uint64

	ready  atomic.Bool
	caught atomic.Int64 // wall-clock Unix nanoseconds of the last successful catch-up
	state  atomic.Pointer[checkState]

	mu          sync.Mutex // serialises loads and catch-ups
	lists       map[string]uint8
	counters    map[string]*counter
	lastRemoval int64
	loadErr     error

	hashers sync.Pool
	stop    chan struct{}
	done    chan struct{}
}

// checkState is what a check reads of the catalogue in force.
type checkState struct {
	version  int
	loc      *time.Location
	measures map[string]*measureState
}

type measureState struct {
	id    string
	mask  uint64
	gated bool
	count *counter
}

// counter counts one measure's answers since the last flush.
type counter struct{ allowed, denied, mismatched atomic.Int64 }

// NewChecker returns a Checker over the Service's store; it is not ready
// until Load (or Start) has loaded the index.
func (s *Service) NewChecker(opts CheckerOptions) *Checker {
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Flush <= 0 {
		opts.Flush = DefaultFlush
	}
	if opts.MaxStale <= 0 {
		opts.MaxStale = DefaultMaxStale
	}
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	c := &Checker{svc: s, opts: opts, boot: hex.EncodeToString(b), lists: map[string]uint8{}, counters: map[string]*counter{}}
	c.hashers.New = func() any { return hmac.New(sha256.New, s.vault.lookupKey) }
	s.OnListsChanged(func(ctx context.Context) {
		if c.ready.Load() {
			_ = c.Refresh(context.WithoutCancel(ctx))
		}
	})
	return c
}

// Start loads the index in the background and then keeps it current and
// flushes the counters until Close. Checks answer ErrIndexNotReady until
// the load is done; Err says why a load failed.
func (c *Checker) Start(ctx context.Context) {
	c.stop, c.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(c.done)
		for {
			err := c.Load(ctx)
			if err == nil {
				break
			}
			select {
			case <-c.stop:
				return
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}
		poll, flush := time.NewTicker(c.opts.Poll), time.NewTicker(c.opts.Flush)
		defer poll.Stop()
		defer flush.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-ctx.Done():
				return
			case <-poll.C:
				_ = c.Refresh(ctx)
			case <-flush.C:
				_ = c.Flush(ctx)
			}
		}
	}()
}

// Close stops what Start started and flushes the counters.
func (c *Checker) Close(ctx context.Context) error {
	if c.stop != nil {
		close(c.stop)
		<-c.done
		c.stop = nil
	}
	return c.Flush(ctx)
}

// Ready reports whether checks are answered.
func (c *Checker) Ready() bool {
	return c.ready.Load() && time.Since(time.Unix(0, c.caught.Load())) <= c.opts.MaxStale
}

// Err returns why the last load failed, or nil.
func (c *Checker) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.loadErr
}

// Len returns how many entries the index holds.
func (c *Checker) Len() int { return c.idx.Len() }

// Load reads the catalogue and every entry whose term has not ended into
// the index, then marks it ready.
func (c *Checker) Load(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.catchUp(ctx, c.opts.Progress)
	c.loadErr = err
	if err != nil {
		return err
	}
	c.ready.Store(true)
	return nil
}

// Refresh catches up with entries, removals and catalogue versions
// written since the last load or refresh.
func (c *Checker) Refresh(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.catchUp(ctx, nil)
}

const addBatch = 4096

// catchUp reads what changed since the index last looked; c.mu is held.
func (c *Checker) catchUp(ctx context.Context, progress func(int)) error {
	began := time.Now()
	return c.svc.store.View(ctx, func(tx Tx) error {
		cat, version, err := c.svc.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		if st := c.state.Load(); st == nil || st.version != version {
			if err := c.compile(cat, version); err != nil {
				return err
			}
		}
		batch := make([]checkindex.Entry, 0, addBatch)
		n := 0
		err = tx.ScanListEntries(ctx, c.idx.LastID(), c.svc.now(), func(e *tally.ListEntry) error {
			list, err := c.listNumber(e.List)
			if err != nil {
				return err
			}
			ie, err := checkindex.NewEntry(e.ID, e.Lookup, int(list), e.NoticeServed, e.Ends, e.Name)
			if err != nil {
				return err
			}
			batch = append(batch, ie)
			if len(batch) == addBatch {
				c.idx.Add(batch)
				batch = batch[:0]
				n += addBatch
				if progress != nil {
					progress(n)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		c.idx.Add(batch)
		if progress != nil {
			progress(n + len(batch))
		}
		err = tx.ScanRemovals(ctx, c.lastRemoval, func(r tally.ListRemoval) error {
			c.idx.End(r.EntryID, r.On)
			c.lastRemoval = r.ID
			return nil
		})
		if err != nil {
			return err
		}
		c.caught.Store(began.UnixNano())
		return nil
	})
}

// listNumber returns the index's number for a list id; c.mu is held.
func (c *Checker) listNumber(id string) (uint8, error) {
	if n, ok := c.lists[id]; ok {
		return n, nil
	}
	if len(c.lists) >= checkindex.MaxLists {
		return 0, fmt.Errorf("check index: more than %d lists", checkindex.MaxLists)
	}
	n := uint8(len(c.lists))
	c.lists[id] = n
	return n, nil
}

// compile turns a catalogue into the state checks read; c.mu is held.
func (c *Checker) compile(cat *rulebook.Catalogue, version int) error {
	st := &checkState{version: version, loc: cat.Location, measures: map[string]*measureState{}}
	for _, m := range cat.Measures {
		ms := &measureState{id: m.ID, gated: m.Gate != nil}
		for _, s := range cat.SanctionsOf(m.ID) {
			n, err := c.listNumber(s.List)
			if err != nil {
				return err
			}
			ms.mask |= 1 << n
		}
		if c.counters[m.ID] == nil {
			c.counters[m.ID] = &counter{}
		}
		ms.count = c.counters[m.ID]
		st.measures[m.ID] = ms
	}
	c.state.Store(st)
	return nil
}

// Flush adds the counts since the last flush to the database, under the
// day (in the catalogue's time zone) of the flush.
func (c *Checker) Flush(ctx context.Context) error {
	st := c.state.Load()
	if st == nil {
		return nil
	}
	today := day(c.svc.now().In(st.loc))
	c.mu.Lock()
	var counts []tally.CheckCount
	for id, k := range c.counters {
		cc := tally.CheckCount{Day: today, Measure: id, Allowed: k.allowed.Swap(0), Denied: k.denied.Swap(0), Mismatched: k.mismatched.Swap(0)}
		if cc.Allowed+cc.Denied+cc.Mismatched > 0 {
			counts = append(counts, cc)
		}
	}
	c.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	err := c.svc.store.Update(ctx, func(tx Tx) error { return tx.AddCheckCounts(ctx, counts) })
	if err != nil { // keep them for the next flush
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, cc := range counts {
			k := c.counters[cc.Measure]
			k.allowed.Add(cc.Allowed)
			k.denied.Add(cc.Denied)
			k.mismatched.Add(cc.Mismatched)
		}
	}
	return err
}

// The answers of a check.
const (
	AnswerAllowed      = "allowed"
	AnswerDenied       = "denied"
	AnswerNameMismatch = "name_mismatch" // listed, but the name given is not the listing's: check the documents
	AnswerInvalid      = "invalid"       // batch items only: a malformed identifier or a missing name
)

// CheckQuery is one verifier check.
type CheckQuery struct {
	Identifier string
	Name       string
	Measure    string
}

// CheckAnswer is the answer to one check: nothing personal, only the
// answer and a reference number under which the check can be traced.
type CheckAnswer struct {
	Measure string    `json:"measure,omitempty"`
	Answer  string    `json:"answer"`
	Ref     string    `json:"ref"`
	AsOf    time.Time `json:"as_of,omitzero"`
	Error   string    `json:"error,omitempty"` // batch items answered invalid: why
}

// mayCheck: a verifier's categories name the measures it may check.
func mayCheck(a *tally.Actor, measure string) error {
	return authorize(a, OpCheck, Target{Category: measure})
}

// measure returns the state of a measure a check may ask about.
func (c *Checker) measure(ctx context.Context, id string) (*checkState, *measureState, error) {
	if err := mayCheck(ActorOf(ctx), id); err != nil {
		return nil, nil, err
	}
	if !c.Ready() {
		return nil, nil, ErrIndexNotReady
	}
	st := c.state.Load()
	m, ok := st.measures[id]
	if !ok {
		return nil, nil, tally.FieldErrorf("measure", "unknown measure %q (see the published catalogue)", id)
	}
	if m.gated {
		return nil, nil, tally.FieldErrorf("measure", "measure %s is granted by grade, which the check index does not hold: ask for the subject's eligibility", id)
	}
	return st, m, nil
}

// lookup computes an identifier's lookup hash with a pooled HMAC.
func (c *Checker) lookup(canon string, dst *[checkindex.HashSize]byte) {
	h := c.hashers.Get().(hash.Hash)
	h.Reset()
	h.Write([]byte(canon))
	h.Sum(dst[:0])
	c.hashers.Put(h)
}

// ref returns a new reference number.
func (c *Checker) ref() string {
	return c.boot + "-" + strconv.FormatUint(c.seq.Add(1), 36)
}

// Check answers whether the subject an identifier names may have a
// measure now, from the index: allowed, denied (an entry in effect on a
// list the matrix links to the measure) or name_mismatch (such an entry
// exists but the name given is not the listing's). A malformed
// identifier, a missing name and an unknown or grade-gated measure are
// EInvalid; while the index is not ready it returns ErrIndexNotReady.
// Every answer is counted; every denial and mismatch goes into the
// subject's access log with the reference number.
func (c *Checker) Check(ctx context.Context, q CheckQuery) (*CheckAnswer, error) {
	_, m, err := c.measure(ctx, q.Measure)
	if err != nil {
		return nil, err
	}
	canon, err := parseAnyIdentifier(q.Identifier)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(q.Name)
	if name == "" {
		return nil, tally.FieldErrorf("name", "give the name on the identity document: it must match the identifier")
	}
	var h [checkindex.HashSize]byte
	c.lookup(canon, &h)
	now := c.svc.now()
	r := c.idx.Check(&h, m.mask, checkindex.Seconds(now), checkindex.NameTag(name), true)
	out := &CheckAnswer{Measure: m.id, Answer: AnswerAllowed, Ref: c.ref(), AsOf: now}
	switch {
	case r.Listed:
		out.Answer = AnswerDenied
		m.count.denied.Add(1)
	case r.NameMismatch:
		out.Answer = AnswerNameMismatch
		m.count.mismatched.Add(1)
	default:
		m.count.allowed.Add(1)
		return out, nil
	}
	if err := c.logDenials(ctx, m.id, []denial{{hash: h, ref: out.Ref, answer: out.Answer, entry: r.EntryID}}); err != nil {
		return nil, err
	}
	return out, nil
}

// CheckBatch checks up to MaxBatch subjects for one measure under one
// reference number: the answer for items[i] is out[i], whose Ref is the
// batch's reference, a dot and i. A malformed item is answered invalid
// with the reason and never allowed; the batch as a whole fails only for
// an unknown measure, too many items, or an index that is not ready.
func (c *Checker) CheckBatch(ctx context.Context, measure string, items []CheckQuery) ([]CheckAnswer, error) {
	_, m, err := c.measure(ctx, measure)
	if err != nil {
		return nil, err
	}
	if len(items) > MaxBatch {
		return nil, tally.FieldErrorf("items", "%d items: at most %d a request", len(items), MaxBatch)
	}
	ref := c.ref()
	out := make([]CheckAnswer, len(items))
	hashes := make([][checkindex.HashSize]byte, len(items))
	names := make([]uint32, len(items))
	valid := make([]bool, len(items))
	for i, it := range items {
		out[i].Ref = ref + "." + strconv.Itoa(i)
		canon, err := parseAnyIdentifier(it.Identifier)
		if err != nil {
			out[i].Answer, out[i].Error = AnswerInvalid, err.Error()
			continue
		}
		name := strings.TrimSpace(it.Name)
		if name == "" {
			out[i].Answer, out[i].Error = AnswerInvalid, "name: give the name on the identity document"
			continue
		}
		c.lookup(canon, &hashes[i])
		names[i], valid[i] = checkindex.NameTag(name), true
	}
	results := make([]checkindex.Result, len(items))
	now := c.svc.now()
	c.idx.CheckMany(hashes, names, m.mask, checkindex.Seconds(now), true, results)
	var (
		denials                     []denial
		allowed, denied, mismatched int64
	)
	for i, r := range results {
		if !valid[i] {
			continue
		}
		switch {
		case r.Listed:
			out[i].Answer = AnswerDenied
			denied++
		case r.NameMismatch:
			out[i].Answer = AnswerNameMismatch
			mismatched++
		default:
			out[i].Answer = AnswerAllowed
			allowed++
			continue
		}
		denials = append(denials, denial{hash: hashes[i], ref: out[i].Ref, answer: out[i].Answer, entry: r.EntryID})
	}
	m.count.allowed.Add(allowed)
	m.count.denied.Add(denied)
	m.count.mismatched.Add(mismatched)
	if err := c.logDenials(ctx, m.id, denials); err != nil {
		return nil, err
	}
	return out, nil
}

// denial is one check to write into the access log.
type denial struct {
	hash   [checkindex.HashSize]byte
	ref    string
	answer string
	entry  int64
}

// logDenials writes an access-log entry for each denial, in one
// transaction: if they cannot be written, the check fails.
func (c *Checker) logDenials(ctx context.Context, measure string, ds []denial) error {
	if len(ds) == 0 {
		return nil
	}
	purpose := purposeOf(ctx)
	if purpose == "" {
		purpose = "check: " + measure
	}
	ctx = WithPurpose(ctx, purpose)
	return c.svc.store.Update(ctx, func(tx Tx) error {
		as := make([]*tally.Access, 0, len(ds))
		for _, d := range ds {
			subj, err := tx.SubjectByLookup(ctx, d.hash[:])
			if err != nil {
				return fmt.Errorf("log check %s: %w", d.ref, err)
			}
			as = append(as, c.svc.access(ctx, subj.ID, "", "check", fmt.Sprintf("%s: %s (ref %s, list entry #%d)", measure, d.answer, d.ref, d.entry)))
			if d.answer == AnswerDenied {
				why := []string{fmt.Sprintf("list entry #%d restricts it (check ref %s)", d.entry, d.ref)}
				if err := tx.InsertNotice(ctx, denialNotice(subj.ID, measure, why, c.svc.now())); err != nil {
					return err
				}
			}
		}
		return tx.InsertAccesses(ctx, as)
	})
}

// CheckStatistics returns the check counters of the days from through to
// (YYYY-MM-DD), flushed first so that they include the checks so far.
// Counts are aggregates: anyone may read them.
func (c *Checker) CheckStatistics(ctx context.Context, from, to string) ([]tally.CheckCount, error) {
	if err := c.Flush(ctx); err != nil {
		return nil, err
	}
	return c.svc.CheckStatistics(ctx, from, to)
}

// CheckStatistics returns the stored check counters of the days from
// through to (YYYY-MM-DD).
func (s *Service) CheckStatistics(ctx context.Context, from, to string) ([]tally.CheckCount, error) {
	if err := authorize(ActorOf(ctx), OpCheckStatistics, Target{}); err != nil {
		return nil, err
	}
	for _, d := range []struct{ name, v string }{{"from", from}, {"to", to}} {
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return nil, tally.FieldErrorf(d.name, "%q: want a date as YYYY-MM-DD", d.v)
		}
	}
	var out []tally.CheckCount
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.CheckCounts(ctx, from, to)
		return err
	})
	return out, err
}
