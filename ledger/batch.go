package ledger

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/tallycredit/tally"
)

// batch holds what one import transaction has read and what it will write.
// Before any row is recorded it reads, in a few queries for all its rows,
// what recording asks of the store row by row (the subjects, their
// enrolments, the records the refs name, the points already awarded under
// capped rules), and records are kept back and written with one
// InsertRecords call at the end, so the batch answers those questions for
// them too.
type batch struct {
	versions map[string][]Version
	subjects map[string]*tally.Subject // by canonical identifier
	enrolled map[ruleKey]bool          // scheme and subject (rule unused) known to be enrolled
	pending  []*tally.Record
	byRef    map[[2]string]*tally.Record // scheme, ref: pending, or stored before the batch
	byRule   map[ruleKey][]*tally.Record // for cap sums
	notes    []note                      // holds and notices to write after the records

	// What was read before the rows: a subject, enrolment or ref absent
	// from its map is then absent from the store.
	subjectsRead, enrolmentsRead, refsRead bool
	// awarded holds, for each cap the rows will meet (capsRead), what
	// its rule had awarded before the batch, so that a cap needs no query.
	awarded  map[capKey]int64
	capsRead map[capKey]bool
}

type ruleKey struct {
	scheme  string
	subject int64
	rule    string
}

func newBatch() *batch {
	return &batch{
		versions: map[string][]Version{},
		subjects: map[string]*tally.Subject{},
		enrolled: map[ruleKey]bool{},
		byRef:    map[[2]string]*tally.Record{},
		byRule:   map[ruleKey][]*tally.Record{},
		awarded:  map[capKey]int64{},
		capsRead: map[capKey]bool{},
	}
}

func (b *batch) add(r *tally.Record) {
	b.pending = append(b.pending, r)
	b.byRef[[2]string{r.Scheme, r.Ref}] = r
	k := ruleKey{r.Scheme, r.SubjectID, r.Rule}
	b.byRule[k] = append(b.byRule[k], r)
}

// sum adds the awarded points of pending records of one rule in [from, to).
func (b *batch) sum(scheme string, subjectID int64, rule string, from, to time.Time) int64 {
	var n int64
	for _, r := range b.byRule[ruleKey{scheme, subjectID, rule}] {
		if !r.HappenedAt.Before(from) && r.HappenedAt.Before(to) {
			n += r.Awarded
		}
	}
	return n
}

// storedSum is SumAwarded answered from what the batch read, and whether
// it could be.
func (b *batch) storedSum(scheme string, subjectID int64, rule string, from, to time.Time) (int64, bool) {
	if b == nil {
		return 0, false
	}
	k := keyOf(scheme, CapKey{Subject: subjectID, Rule: rule, From: from, To: to})
	return b.awarded[k], b.capsRead[k]
}

// subjectLocks is what locking a batch's subjects reads and locks.
type subjectLocks interface {
	Subjects
	Locks
}

// lockBatch takes the subject locks of every row before any row is
// recorded, scheme by scheme in one order, each scheme's in one call, so
// that two imports touching the same subjects cannot deadlock on a server
// database.
func (s *Service) lockBatch(ctx context.Context, tx subjectLocks, rows []row, b *batch) error {
	byScheme := map[string][]int64{}
	seen := map[ruleKey]bool{}
	for _, rw := range rows {
		if !rw.usable() || rw.conduct.Identifier == "" {
			continue
		}
		subj, err := s.cachedSubject(ctx, tx, rw.conduct.Identifier, b)
		if err != nil {
			if tally.ErrorCodeOf(err) == tally.ENotFound {
				continue // reported when the row is recorded
			}
			return err
		}
		if k := (ruleKey{scheme: rw.conduct.Scheme, subject: subj.ID}); !seen[k] {
			seen[k] = true
			byScheme[k.scheme] = append(byScheme[k.scheme], subj.ID)
		}
	}
	for _, scheme := range slices.Sorted(maps.Keys(byScheme)) {
		if err := tx.LockSubjects(ctx, scheme, byScheme[scheme]); err != nil {
			return err
		}
	}
	return nil
}

// cachedSubject finds a subject, through the batch's cache when there is one.
func (s *Service) cachedSubject(ctx context.Context, tx Subjects, identifier string, b *batch) (*tally.Subject, error) {
	if b == nil {
		return s.subject(ctx, tx, identifier)
	}
	canon := canonical(identifier)
	if subj, ok := b.subjects[canon]; ok {
		return subj, nil
	}
	if b.subjectsRead {
		return nil, noSubject(canon)
	}
	subj, err := s.subject(ctx, tx, canon)
	if err == nil {
		b.subjects[canon] = subj
	}
	return subj, err
}

// cachedVersions loads a scheme's versions, through the batch's cache when
// there is one.
func (s *Service) cachedVersions(ctx context.Context, tx Rulebooks, scheme string, b *batch) ([]Version, error) {
	if b == nil {
		return s.versions(ctx, tx, scheme)
	}
	if vs, ok := b.versions[scheme]; ok {
		return vs, nil
	}
	vs, err := s.versions(ctx, tx, scheme)
	if err == nil {
		b.versions[scheme] = vs
	}
	return vs, err
}

// checkEnrolled checks that a subject is enrolled in a scheme, remembering the
// answer for the rest of the batch.
func (s *Service) checkEnrolled(ctx context.Context, tx Enrolments, scheme string, subj *tally.Subject, b *batch) error {
	k := ruleKey{scheme: scheme, subject: subj.ID}
	if b != nil && b.enrolled[k] {
		return nil
	}
	notEnrolled := tally.FieldErrorf("subject", "%s is not enrolled in scheme %s: enrol them first", subj.Masked, scheme)
	if b != nil && b.enrolmentsRead {
		return notEnrolled
	}
	if _, err := tx.Enrolment(ctx, scheme, subj.ID); err != nil {
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return notEnrolled
		}
		return err
	}
	if b != nil {
		b.enrolled[k] = true
	}
	return nil
}
