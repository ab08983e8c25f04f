package ledger

import (
	"context"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// RepairInput is what ApplyRepair needs.
type RepairInput struct {
	Scheme      string
	Identifier  string // the subject
	Record      int64  // the deduction to end
	Obligations string // how they were met: "fine paid 2026-02-01, receipt 123"
}

// ApplyRepair applies to end a deduction's effect early. It is refused
// before the severity's minimum duration has passed (general 3 months,
// serious 1 year; a minor deduction may be repaired at once), for a record
// that no longer counts, and while another application is open.
func (s *Service) ApplyRepair(ctx context.Context, in RepairInput) (*tally.Repair, error) {
	a := ActorOf(ctx)
	switch {
	case in.Scheme == "":
		return nil, tally.FieldErrorf("scheme", "name the scheme")
	case in.Identifier == "":
		return nil, tally.FieldErrorf("subject", "name the subject by identifier")
	case in.Record <= 0:
		return nil, tally.FieldErrorf("record", "name the deduction by record number")
	}
	if err := checkText("obligations", in.Obligations, "say how the obligations were met (fine paid, training done, ...)"); err != nil {
		return nil, err
	}
	if err := authorize(a, OpApplyRepair, s.target(in.Scheme, in.Identifier)); err != nil {
		return nil, err
	}
	var out *tally.Repair
	err := s.store.Update(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, in.Identifier)
		if err != nil {
			return err
		}
		r, err := s.objectable(ctx, tx, in.Record, in.Scheme, subj.ID)
		if err != nil {
			return err
		}
		now := s.now()
		if r.Awarded >= 0 {
			return tally.FieldErrorf("record", "record #%d is not a deduction: nothing to repair", r.ID)
		}
		if !r.InEffect(now) {
			return tally.FieldErrorf("record", "record #%d no longer counts: nothing to repair", r.ID)
		}
		vs, err := s.versions(ctx, tx, r.Scheme)
		if err != nil {
			return err
		}
		if from, severity, least := repairableFrom(vs, r); now.Before(from) {
			return tally.FieldErrorf("record", "a %s deduction may be repaired after %s, from %s", severity, least, day(from))
		}
		prev, err := tx.Repairs(ctx, DueFilter{Record: r.ID, Limit: MaxPage})
		if err != nil {
			return err
		}
		for _, p := range prev {
			if p.Decision == nil {
				return tally.Errorf(tally.EConflict, "repair #%d of record #%d is still open", p.ID, r.ID)
			}
			if p.Decision.Approved {
				return tally.Errorf(tally.EConflict, "record #%d was already repaired (#%d)", r.ID, p.ID)
			}
		}
		out = &tally.Repair{Scheme: r.Scheme, SubjectID: subj.ID, RecordID: r.ID, Obligations: strings.TrimSpace(in.Obligations), AppliedAt: now, AppliedBy: a.Name}
		if err := tx.InsertRepair(ctx, out); err != nil {
			return err
		}
		book := vs[len(vs)-1].Book
		if out.DecideBy, out.Provisional, err = workdays(ctx, tx).due(dueOf(book).RepairDecide, now, book.Location); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, subj.ID, r.Scheme, "repair", accessDetail("repair-applied", itoa(out.ID), itoa(r.ID), out.Obligations))
	})
	return out, err
}

// repairableFrom returns the first instant a deduction may be repaired:
// the severity's minimum duration after it happened (at once for a minor
// one or a rule without a severity), with the severity and that minimum.
func repairableFrom(vs []Version, r *tally.Record) (time.Time, tally.Severity, tally.Span) {
	if r.Version < 1 || r.Version > len(vs) {
		return r.HappenedAt, "", tally.Span{}
	}
	book := vs[r.Version-1].Book
	rule, ok := book.Rule(r.Rule)
	if !ok {
		return r.HappenedAt, "", tally.Span{}
	}
	from, least := repairFrom(rule.Severity, r.HappenedAt, book.Location)
	return from, rule.Severity, least
}

// repairFrom returns when a deduction of a severity class that happened
// at an instant may first be repaired, and the class minimum that waits:
// general 3 months, serious 1 year, at once (a zero span) for a minor one
// or none. Days are counted in loc.
func repairFrom(s tally.Severity, happened time.Time, loc *time.Location) (time.Time, tally.Span) {
	least, _, ok := s.Lasting()
	if !ok || least.IsZero() {
		return happened, tally.Span{}
	}
	return least.After(happened.In(loc)), least
}

// DecideRepair approves or refuses a repair, with reasons. An approved
// repair ends the record's effect, and its publication, from now. Its
// applicant, the deduction's recorder and second reviewer, and the subject
// may not decide it.
func (s *Service) DecideRepair(ctx context.Context, id int64, approve bool, reasons string) (*tally.Repair, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReview, Target{}); err != nil {
		return nil, err
	}
	if err := checkText("reasons", reasons, "a decision needs written reasons"); err != nil {
		return nil, err
	}
	var out *tally.Repair
	err := s.store.Update(ctx, func(tx Tx) error {
		p, err := tx.Repair(ctx, id)
		if err != nil {
			return err
		}
		if err := mayReview(a, p.Scheme); err != nil {
			return err
		}
		if p.Decision != nil {
			return tally.Errorf(tally.EConflict, "repair #%d was already %s", id, approvedWord(p.Decision.Approved))
		}
		if err := s.mayDecideRepair(ctx, tx, a, p); err != nil {
			return err
		}
		p.Decision = &tally.RepairDecision{RepairID: p.ID, RecordID: p.RecordID, Approved: approve, Reasons: strings.TrimSpace(reasons), At: s.now(), By: a.Name}
		if err := tx.InsertRepairDecision(ctx, p.Decision); err != nil {
			return err
		}
		out = p
		return s.logAccess(ctx, tx, p.SubjectID, p.Scheme, "repair-decision", accessDetail("repair-decided", itoa(p.ID), itoa(p.RecordID), approvedWord(approve), reasons))
	})
	return out, err
}

// mayDecideRepair refuses, with EForbidden, a party to a repair's case:
// its applicant, the deduction's recorder and second reviewer, the subject.
func (s *Service) mayDecideRepair(ctx context.Context, tx Tx, a *tally.Actor, p *tally.Repair) error {
	r, err := tx.RecordByID(ctx, p.RecordID)
	if err != nil {
		return err
	}
	parties, err := repairParties(ctx, tx, p, r)
	if err != nil {
		return err
	}
	return s.mayDecide(ctx, tx, a, phrase("decide repair #%d", p.ID), phrase("another reviewer must"), parties)
}

// MayDecideRepair is MayDecideObjection for a repair application: nil,
// or the EForbidden error DecideRepair would return. The reviewer's page
// uses it to show the decision form only to whom it may serve.
func (s *Service) MayDecideRepair(ctx context.Context, id int64) error {
	a := ActorOf(ctx)
	return s.store.View(ctx, func(tx Tx) error {
		p, err := tx.Repair(ctx, id)
		if err != nil {
			return err
		}
		if err := mayReview(a, p.Scheme); err != nil {
			return err
		}
		return s.mayDecideRepair(ctx, tx, a, p)
	})
}

// RepairQuery selects repairs for Repairs.
type RepairQuery struct {
	Scheme string
	Open   bool
	After  int64
	Limit  int
}

// Repairs lists repair applications, oldest first: a subject its own;
// admins and reviewers those of the schemes they review.
func (s *Service) Repairs(ctx context.Context, q RepairQuery) ([]tally.Repair, error) {
	a := ActorOf(ctx)
	f := DueFilter{Open: q.Open, After: q.After, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	if err := mayReadDue(a, OpReadRepairs, q.Scheme); err != nil {
		return nil, err
	}
	if a.Role != tally.SubjectR {
		f.Schemes = reviewSchemes(a, q.Scheme)
	}
	var out []tally.Repair
	err := s.store.View(ctx, func(tx Tx) error {
		if a.Role == tally.SubjectR {
			subj, err := tx.SubjectByLookup(ctx, a.Lookup)
			if err != nil {
				return err
			}
			f.SubjectID = subj.ID
		}
		var err error
		if out, err = tx.Repairs(ctx, f); err != nil {
			return err
		}
		return s.repairDeadlines(ctx, tx, out)
	})
	return out, err
}

// repairDeadlines sets when each repair is due for decision, by its
// scheme's repair clock.
func (s *Service) repairDeadlines(ctx context.Context, tx Tx, ps []tally.Repair) error {
	type settings struct {
		dp  tally.DueProcess
		loc *time.Location
	}
	cal, schemes := workdays(ctx, tx), map[string]settings{}
	for i := range ps {
		st, ok := schemes[ps[i].Scheme]
		if !ok {
			dp, loc, err := s.dueSettings(ctx, tx, ps[i].Scheme)
			if err != nil {
				return err
			}
			st = settings{dp, loc}
			schemes[ps[i].Scheme] = st
		}
		var err error
		if ps[i].DecideBy, ps[i].Provisional, err = cal.due(st.dp.RepairDecide, ps[i].AppliedAt, st.loc); err != nil {
			return err
		}
	}
	return nil
}
