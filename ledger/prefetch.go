package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// BatchReads answers, for a whole import batch at once, the questions
// recording a row asks of the store one row at a time.
type BatchReads interface {
	// SubjectsByLookups returns the subjects whose Lookup is among
	// lookups (distinct), in any order; lookups of no subject are absent.
	SubjectsByLookups(ctx context.Context, lookups [][]byte) ([]tally.Subject, error)
	// EnrolledAmong returns which of subjectIDs (distinct) are enrolled
	// in scheme.
	EnrolledAmong(ctx context.Context, scheme string, subjectIDs []int64) ([]int64, error)
	// SumsAwarded is SumAwarded for many keys: sums[i] is keys[i]'s.
	SumsAwarded(ctx context.Context, scheme string, keys []CapKey) (sums []int64, err error)
}

// CapKey names one sum a cap compares with: the points a rule has awarded
// a subject in [From, To).
type CapKey struct {
	Subject  int64
	Rule     string
	From, To time.Time
}

// capKey is a CapKey within a scheme, comparable as a map key whatever
// the time zone its window was computed in.
type capKey struct {
	scheme   string
	subject  int64
	rule     string
	from, to int64 // Unix microseconds
}

func keyOf(scheme string, k CapKey) capKey {
	return capKey{scheme, k.Subject, k.Rule, k.From.UnixMicro(), k.To.UnixMicro()}
}

// prefetchTx is what a batch reads before its rows.
type prefetchTx interface {
	BatchReads
	RecordReads
	Rulebooks
}

// readSubjects reads the subjects every row names, in one query.
func (s *Service) readSubjects(ctx context.Context, tx BatchReads, rows []row, b *batch) error {
	byLookup := map[string]string{} // lookup -> canonical identifier
	var lookups [][]byte
	for _, rw := range rows {
		if !rw.usable() || rw.conduct.Identifier == "" {
			continue
		}
		canon := canonical(rw.conduct.Identifier)
		l := s.vault.Lookup(canon)
		if _, ok := byLookup[string(l)]; !ok {
			byLookup[string(l)] = canon
			lookups = append(lookups, l)
		}
	}
	found, err := tx.SubjectsByLookups(ctx, lookups)
	if err != nil {
		return err
	}
	for i := range found {
		b.subjects[byLookup[string(found[i].Lookup)]] = &found[i]
	}
	b.subjectsRead = true
	return nil
}

// prefetch reads what the batch's rows will ask for, after their subjects
// are locked: the records their refs name, their enrolments, and the
// points capped rules have already awarded them, one query per scheme
// for each.
func (s *Service) prefetch(ctx context.Context, tx prefetchTx, rows []row, b *batch) error {
	type scheme struct {
		refs     []string
		subjects []int64
		seen     map[int64]bool
		caps     []CapKey
	}
	schemes := map[string]*scheme{}
	for _, rw := range rows {
		c := rw.conduct
		if !rw.usable() {
			continue
		}
		sc := schemes[c.Scheme]
		if sc == nil {
			sc = &scheme{seen: map[int64]bool{}}
			schemes[c.Scheme] = sc
		}
		if c.Ref != "" {
			sc.refs = append(sc.refs, c.Ref)
		}
		subj := b.subjects[canonical(c.Identifier)]
		if subj == nil {
			continue
		}
		if !sc.seen[subj.ID] {
			sc.seen[subj.ID] = true
			sc.subjects = append(sc.subjects, subj.ID)
		}
		k, capped, err := s.capKeyOf(ctx, tx, c, subj.ID, b)
		if err != nil {
			return err
		}
		if capped && !b.capsRead[keyOf(c.Scheme, k)] {
			b.capsRead[keyOf(c.Scheme, k)] = true
			sc.caps = append(sc.caps, k)
		}
	}
	for name, sc := range schemes {
		stored, err := tx.RecordsByRefs(ctx, name, sc.refs)
		if err != nil {
			return err
		}
		for i := range stored {
			b.byRef[[2]string{name, stored[i].Ref}] = &stored[i]
		}
		enrolled, err := tx.EnrolledAmong(ctx, name, sc.subjects)
		if err != nil {
			return err
		}
		for _, id := range enrolled {
			b.enrolled[ruleKey{scheme: name, subject: id}] = true
		}
		sums, err := tx.SumsAwarded(ctx, name, sc.caps)
		if err != nil {
			return err
		}
		for i, k := range sc.caps {
			b.awarded[keyOf(name, k)] = sums[i]
		}
	}
	b.refsRead, b.enrolmentsRead = true, true
	return nil
}

// capKeyOf names the sum the cap of the conduct's rule will compare
// with, if the rule in force when it happened has a cap. A conduct whose
// scheme, version or rule cannot be found is left for recording to report.
func (s *Service) capKeyOf(ctx context.Context, tx Rulebooks, c Conduct, subject int64, b *batch) (CapKey, bool, error) {
	if c.At.IsZero() {
		return CapKey{}, false, nil
	}
	vs, err := s.cachedVersions(ctx, tx, c.Scheme, b)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return CapKey{}, false, nil
	} else if err != nil {
		return CapKey{}, false, err
	}
	v, err := inForce(vs, c.At)
	if err != nil {
		return CapKey{}, false, nil
	}
	rule, ok := v.Book.Rule(c.Rule)
	if !ok || rule.Cap == nil {
		return CapKey{}, false, nil
	}
	from, to := rule.Cap.Per.Window(c.At.In(v.Book.Location))
	return CapKey{Subject: subject, Rule: rule.Code, From: from, To: to}, true, nil
}
