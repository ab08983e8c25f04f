package checkindex

import (
	"context"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

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
	// Disputed says the list entry behind a denial is under objection
	// (有异议): the answer is still denied until the objection is decided.
	Disputed bool `json:"disputed,omitempty"`
}

// measure returns the state of a measure a check may ask about.
func (c *Checker) measure(ctx context.Context, id string) (*checkState, *measureState, error) {
	if err := c.svc.MayCheck(ctx, id); err != nil {
		return nil, nil, err
	}
	if !c.Ready() {
		return nil, nil, ErrNotReady
	}
	if err := c.Heard(); err != nil {
		return nil, nil, err
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
func (c *Checker) lookup(canon string, dst *[HashSize]byte) {
	h := c.hashers.Get().(hash.Hash)
	sumLookup(h, canon, dst)
	c.hashers.Put(h)
}

// sumLookup computes an identifier's lookup hash with h, a lookup HMAC.
func sumLookup(h hash.Hash, canon string, dst *[HashSize]byte) {
	h.Reset()
	h.Write([]byte(canon))
	h.Sum(dst[:0])
}

// itemRefs returns the reference numbers of a batch's n items, the
// batch's reference, a dot and the item's index, as parts of one string.
func itemRefs(ref string, n int) []string {
	buf := make([]byte, 0, n*(len(ref)+6))
	ends := make([]int, n)
	for i := range n {
		buf = append(buf, ref...)
		buf = append(buf, '.')
		buf = strconv.AppendInt(buf, int64(i), 10)
		ends[i] = len(buf)
	}
	all, refs, start := string(buf), make([]string, n), 0
	for i, end := range ends {
		refs[i], start = all[start:end], end
	}
	return refs
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
// EInvalid; while the index is not ready it returns ErrNotReady.
// Every answer is counted; every denial and mismatch goes into the
// subject's access log with the reference number.
func (c *Checker) Check(ctx context.Context, q CheckQuery) (*CheckAnswer, error) {
	_, m, err := c.measure(ctx, q.Measure)
	if err != nil {
		return nil, err
	}
	canon, err := tally.ParseAnyIdentifier(q.Identifier)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(q.Name)
	if name == "" {
		return nil, tally.FieldErrorf("name", "give the name on the identity document: it must match the identifier")
	}
	var h [HashSize]byte
	c.lookup(canon, &h)
	now := c.svc.Now()
	r := c.idx.Check(&h, m.mask, Seconds(now), NameTag(name), true)
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
	found := []ledger.CheckFinding{{Lookup: h[:], Ref: out.Ref, Answer: out.Answer, Entry: r.EntryID, Denied: r.Listed}}
	if err := c.svc.LogChecks(ctx, m.id, found); err != nil {
		return nil, err
	}
	out.Disputed = found[0].Disputed
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
	refs := itemRefs(c.ref(), len(items))
	out := make([]CheckAnswer, len(items))
	hashes := make([][HashSize]byte, len(items))
	names := make([]uint32, len(items))
	valid := make([]bool, len(items))
	h := c.hashers.Get().(hash.Hash)
	defer c.hashers.Put(h)
	for i, it := range items {
		out[i].Ref = refs[i]
		canon, err := tally.ParseAnyIdentifier(it.Identifier)
		if err != nil {
			out[i].Answer, out[i].Error = AnswerInvalid, err.Error()
			continue
		}
		name := strings.TrimSpace(it.Name)
		if name == "" {
			out[i].Answer, out[i].Error = AnswerInvalid, "name: give the name on the identity document"
			continue
		}
		sumLookup(h, canon, &hashes[i])
		names[i], valid[i] = NameTag(name), true
	}
	results := make([]Result, len(items))
	now := c.svc.Now()
	c.idx.CheckMany(hashes, names, m.mask, Seconds(now), true, results)
	var (
		found                       []ledger.CheckFinding
		at                          []int // the item of each finding
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
		found = append(found, ledger.CheckFinding{Lookup: hashes[i][:], Ref: out[i].Ref, Answer: out[i].Answer, Entry: r.EntryID, Denied: r.Listed})
		at = append(at, i)
	}
	m.count.allowed.Add(allowed)
	m.count.denied.Add(denied)
	m.count.mismatched.Add(mismatched)
	if err := c.svc.LogChecks(ctx, m.id, found); err != nil {
		return nil, err
	}
	for j, f := range found {
		out[at[j]].Disputed = f.Disputed
	}
	return out, nil
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
