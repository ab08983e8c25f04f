package ledger

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// The use cases behind verifier checks. The check index and the runtime
// that answers checks from it are in package checkindex; what they read
// and write, and who may check what, goes through these.

// MayCheck returns nil when the caller may check subjects for measure (a
// verifier's categories name the measures it may check), else the
// refusal. A check asks it before it answers.
func (s *Service) MayCheck(ctx context.Context, measure string) error {
	return authorize(ActorOf(ctx), OpCheck, Target{Category: measure})
}

// NewLookupHash returns a keyed hash that turns a canonical identifier
// into the lookup hash subjects are found by, for a caller that hashes
// many (a batch check). It is not safe for concurrent use.
func (s *Service) NewLookupHash() hash.Hash { return hmac.New(sha256.New, s.vault.lookupKey) }

// ListScan says what ScanLists reads from where, and whom it tells.
type ListScan struct {
	AfterEntry   int64                                            // entries with a greater ID are read
	AfterRemoval int64                                            // removals with a greater ID are read
	Catalogue    func(cat *rulebook.Catalogue, version int) error // told first the catalogue in force
	Entry        func(e *tally.ListEntry) error                   // told each entry whose term has not ended, by ID
	Removal      func(r tally.ListRemoval) error                  // told each removal, by ID
}

// ScanLists reads in one read transaction what a check index needs to
// catch up with the database: the catalogue in force, then the entries
// and the removals written since it last read. It answers no caller's
// request.
func (s *Service) ScanLists(ctx context.Context, scan ListScan) error {
	return s.store.View(ctx, func(tx Tx) error {
		cat, version, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		if err := scan.Catalogue(cat, version); err != nil {
			return err
		}
		if err := tx.ScanListEntries(ctx, scan.AfterEntry, s.now(), scan.Entry); err != nil {
			return err
		}
		return tx.ScanRemovals(ctx, scan.AfterRemoval, scan.Removal)
	})
}

// AddCheckCounts adds counts of check answers to the stored counters.
func (s *Service) AddCheckCounts(ctx context.Context, counts []tally.CheckCount) error {
	return s.store.Update(ctx, func(tx Tx) error { return tx.AddCheckCounts(ctx, counts) })
}

// CheckFinding is a check of measure that found a list entry of the
// subject: it goes into the subject's access log.
type CheckFinding struct {
	Lookup []byte // the subject's lookup hash
	Ref    string // the check's reference number
	Answer string // the answer given
	Entry  int64  // the entry found
	Denied bool   // the entry restricts the measure: the subject is sent a notice
	// Disputed is set by LogChecks for a denial whose entry an objection
	// holds under dispute (有异议): the denial stands, the answer says so.
	Disputed bool
}

// LogChecks writes an access-log entry for each finding, and a notice for
// each denial, in one transaction: if they cannot be written, the checks
// fail. It records checks already answered, each after MayCheck, and marks
// the denials whose entry is disputed now.
func (s *Service) LogChecks(ctx context.Context, measure string, found []CheckFinding) error {
	if len(found) == 0 {
		return nil
	}
	purpose := purposeOf(ctx)
	if purpose == "" {
		purpose = "check: " + measure
	}
	ctx = WithPurpose(ctx, purpose)
	return s.store.Update(ctx, func(tx Tx) error {
		subjects, err := subjectsOfFindings(ctx, tx, found)
		if err != nil {
			return err
		}
		as := make([]*tally.Access, 0, len(found))
		var (
			notices []*tally.Notice
			denied  []int64             // the subjects of denials
			cat     *rulebook.Catalogue // read at the first denial
		)
		for _, d := range found {
			subj, ok := subjects[string(d.Lookup)]
			if !ok {
				return fmt.Errorf("log check %s: %w", d.Ref, tally.Errorf(tally.ENotFound, "no subject with this identifier"))
			}
			as = append(as, s.access(ctx, subj, "", "check", accessDetail("checked", measure, d.Answer, d.Ref, itoa(d.Entry))))
			if !d.Denied {
				continue
			}
			if cat == nil {
				if cat, _, err = s.catalogue(ctx, tx); err != nil {
					return err
				}
			}
			dp, err := deniedEntryDue(ctx, tx, cat, subj, d)
			if err != nil {
				return err
			}
			denied = append(denied, subj)
			notices = append(notices, denialNotice(subj, measure, d.Entry, d.Ref, dp, cat.Location, s.now()))
		}
		if err := tx.InsertNotices(ctx, notices); err != nil {
			return err
		}
		if err := tx.InsertAccesses(ctx, as); err != nil {
			return err
		}
		return markDisputedChecks(ctx, tx, found, denied, s.now())
	})
}

// deniedEntryDue returns the clocks a denial's notice quotes: those of
// the denying entry's list, read only when the catalogue's lists differ.
func deniedEntryDue(ctx context.Context, tx ListEntries, cat *rulebook.Catalogue, subject int64, d CheckFinding) (tally.DueProcess, error) {
	if dp, ok := cat.SharedDue(); ok {
		return dp, nil
	}
	e, err := subjectEntry(ctx, tx, subject, d.Entry)
	if err != nil {
		return tally.DueProcess{}, fmt.Errorf("log check %s: %w", d.Ref, err)
	}
	return cat.Due(e.List), nil
}

// subjectsOfFindings returns the subject ID of each lookup hash among
// found, read in one query.
func subjectsOfFindings(ctx context.Context, tx Tx, found []CheckFinding) (map[string]int64, error) {
	lookups := make([][]byte, 0, len(found))
	seen := make(map[string]bool, len(found))
	for _, d := range found {
		if !seen[string(d.Lookup)] {
			seen[string(d.Lookup)] = true
			lookups = append(lookups, d.Lookup)
		}
	}
	ss, err := tx.SubjectsByLookups(ctx, lookups)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int64, len(ss))
	for _, subj := range ss {
		out[string(subj.Lookup)] = subj.ID
	}
	return out, nil
}

// markDisputedChecks marks the denials among found whose entry is disputed
// at instant at; subjects are the denials' subjects.
func markDisputedChecks(ctx context.Context, tx Objections, found []CheckFinding, subjects []int64, at time.Time) error {
	if len(subjects) == 0 {
		return nil
	}
	d, err := tx.Disputed(ctx, subjects, at)
	if err != nil {
		return err
	}
	for i := range found {
		found[i].Disputed = found[i].Denied && d.Entry(found[i].Entry)
	}
	return nil
}

// CheckDay returns the day (YYYY-MM-DD) instant at falls on in the
// sanctions catalogue's time zone: the day check counters are kept under.
func (s *Service) CheckDay(ctx context.Context, at time.Time) (string, error) {
	if err := authorize(ActorOf(ctx), OpCheckStatistics, Target{}); err != nil {
		return "", err
	}
	var loc *time.Location
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		loc, err = s.catalogueZone(ctx, tx)
		return err
	})
	if err != nil {
		return "", err
	}
	return at.In(loc).Format(time.DateOnly), nil
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
