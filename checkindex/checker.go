package checkindex

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
)

// ErrNotReady is returned by checks while the check index is loading,
// or when it has not caught up with the database for longer than
// CheckerOptions.MaxStale: a check never answers "allowed" then.
var ErrNotReady = errors.New("the check index is not ready: retry shortly")

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
	// checks answer ErrNotReady.
	MaxStale time.Duration
	// Progress, if set, is told how many entries the load has read.
	Progress func(entries int)
	// Upstream, if set, is asked before every check (once per batch):
	// while it returns an error, checks answer that error instead. A
	// verifier fed by the exchange sets it so that it never answers
	// "allowed" from a stream it has stopped hearing.
	Upstream func() error
}

// Checker answers verifier checks from an in-memory Index of the list
// entries in effect, loaded at start through the ledger and kept current.
// Who may check what, the access log and the counters are the ledger's.
// It is safe for concurrent use. Build one with NewChecker and Start it.
type Checker struct {
	svc  *ledger.Service
	opts CheckerOptions
	idx  Index
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

// NewChecker returns a Checker over the Service's lists; it is not ready
// until Load (or Start) has loaded the index. Changes made through the
// Service reach the index before their use case returns.
func NewChecker(s *ledger.Service, opts CheckerOptions) *Checker {
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
	c.hashers.New = func() any { return s.NewLookupHash() }
	s.OnListsChanged(func(ctx context.Context) {
		if c.ready.Load() {
			_ = c.Refresh(context.WithoutCancel(ctx))
		}
	})
	return c
}

// Start loads the index in the background and then keeps it current and
// flushes the counters until Close. Checks answer ErrNotReady until
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

// Heard returns the Upstream's error, or nil when there is no upstream or
// it is heard: answers drawn from the same lists by other means (a
// subject's eligibility) are held back on it as checks are.
func (c *Checker) Heard() error {
	if up := c.opts.Upstream; up != nil {
		return up()
	}
	return nil
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
// The entries read go into the index in batches; the last batch goes in
// before the first removal is applied, so that a removal finds its entry.
func (c *Checker) catchUp(ctx context.Context, progress func(int)) error {
	began := time.Now()
	batch := make([]Entry, 0, addBatch)
	n := 0
	entriesIn := false
	addEntries := func() {
		if entriesIn {
			return
		}
		c.idx.Add(batch)
		if progress != nil {
			progress(n + len(batch))
		}
		entriesIn = true
	}
	err := c.svc.ScanLists(ctx, ledger.ListScan{
		AfterEntry:   c.idx.LastID(),
		AfterRemoval: c.lastRemoval,
		Catalogue: func(cat *rulebook.Catalogue, version int) error {
			if st := c.state.Load(); st == nil || st.version != version {
				return c.compile(cat, version)
			}
			return nil
		},
		Entry: func(e *tally.ListEntry) error {
			list, err := c.listNumber(e.List)
			if err != nil {
				return err
			}
			ie, err := NewEntry(e.ID, e.Lookup, int(list), e.NoticeServed, e.Ends, e.Name)
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
		},
		Removal: func(r tally.ListRemoval) error {
			addEntries()
			c.idx.End(r.EntryID, r.On)
			c.lastRemoval = r.ID
			return nil
		},
	})
	if err != nil {
		return err
	}
	addEntries()
	c.caught.Store(began.UnixNano())
	return nil
}

// listNumber returns the index's number for a list id; c.mu is held.
func (c *Checker) listNumber(id string) (uint8, error) {
	if n, ok := c.lists[id]; ok {
		return n, nil
	}
	if len(c.lists) >= MaxLists {
		return 0, fmt.Errorf("check index: more than %d lists", MaxLists)
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
	today := c.svc.Now().In(st.loc).Format(time.DateOnly)
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
	err := c.svc.AddCheckCounts(ctx, counts)
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
