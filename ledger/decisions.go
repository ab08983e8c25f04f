package ledger

import (
	"context"
	"fmt"
	"strings"

	"github.com/tallycredit/tally"
)

// Decision is the input of Decide.
type Decision struct {
	Objection int64
	Outcome   tally.Outcome
	Reasons   string
	// Record names the record a score objection's void or correction acts on.
	Record int64
	// Facts are the corrected record's facts ("name=value"), for a
	// correction of a rule with facts.
	Facts []string
}

// Decide decides an objection with written reasons. Upheld changes
// nothing; voided appends a reversal (for a list entry, a removal
// "overturned"); corrected appends a reversal and a corrected record of
// the same rule and time with the facts given, which may only keep or
// improve the subject's position. Nobody decides a case they took part in
// or are the subject of (see mayDecideObjection).
func (s *Service) Decide(ctx context.Context, d Decision) (*ObjectionView, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReview, Target{}); err != nil {
		return nil, err
	}
	if _, ok := tally.ParseOutcome(string(d.Outcome)); !ok {
		return nil, tally.FieldErrorf("outcome", "%q: want upheld, corrected or voided", d.Outcome)
	}
	if err := checkText("reasons", d.Reasons, "a decision needs written reasons"); err != nil {
		return nil, err
	}
	var out *ObjectionView
	removed := false
	err := s.store.Update(ctx, func(tx Tx) error {
		o, err := tx.Objection(ctx, d.Objection)
		if err != nil {
			return err
		}
		if err := mayReview(a, o.Scheme); err != nil {
			return err
		}
		if err := s.mayDecideObjection(ctx, tx, a, o, d.Record); err != nil {
			return err
		}
		if o.Decision != nil {
			return tally.Errorf(tally.EConflict, "objection #%d was already decided (%s) by %s", o.ID, o.Decision.Outcome, o.Decision.By)
		}
		dec := &tally.ObjectionDecision{ObjectionID: o.ID, Outcome: d.Outcome, Reasons: strings.TrimSpace(d.Reasons), At: s.now(), By: a.Name}
		if err := tx.LockSubject(ctx, o.Scheme, o.SubjectID); err != nil {
			return err
		}
		switch o.Target {
		case tally.TargetEntry:
			if removed, err = s.decideEntry(ctx, tx, o, dec); err != nil {
				return err
			}
		default:
			if err := s.decideRecord(ctx, tx, o, d, dec); err != nil {
				return err
			}
		}
		if o.AcknowledgedAt.IsZero() {
			if err := tx.AcknowledgeObjection(ctx, o.ID, dec.At, a.Name); err != nil {
				return err
			}
			o.AcknowledgedAt, o.AcknowledgedBy = dec.At, a.Name
		}
		if err := tx.InsertObjectionDecision(ctx, dec); err != nil {
			return err
		}
		o.Decision = dec
		dp, loc, err := s.objectionDue(ctx, tx, o)
		if err != nil {
			return err
		}
		subj, err := tx.SubjectByID(ctx, o.SubjectID)
		if err != nil {
			return err
		}
		if out, err = s.objectionView(o, subj, dp, loc, workdays(ctx, tx), ""); err != nil {
			return err
		}
		if err := tx.InsertNotice(ctx, objectionNotice(o, dec, out.AppealBy, dp, loc, s.now())); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, o.SubjectID, o.Scheme, "decide", accessDetail("objection-decided", itoa(o.ID), string(dec.Outcome), dec.Reasons))
	})
	if err != nil {
		return nil, err
	}
	if removed {
		s.listsChanged(ctx)
	}
	return out, nil
}

// entryDecisionTx is what carrying out a decision on a list entry touches.
type entryDecisionTx interface {
	outboxTx
	ListEntries
}

// decideEntry carries out a decision on a list entry: a void ends it with
// a removal "overturned".
func (s *Service) decideEntry(ctx context.Context, tx entryDecisionTx, o *tally.Objection, dec *tally.ObjectionDecision) (bool, error) {
	e, err := subjectEntry(ctx, tx, o.SubjectID, o.TargetID)
	if err != nil {
		return false, err
	}
	switch dec.Outcome {
	case tally.Corrected:
		return false, tally.FieldErrorf("outcome", "a list entry is not corrected here: uphold it, or void it (the issuing court lists again if needed)")
	case tally.Upheld:
		return false, nil
	}
	if e.Removal != nil {
		return false, tally.Errorf(tally.EConflict, "case %s was already removed (%s)", e.CaseNumber, e.Removal.Reason)
	}
	if err := lockLists(ctx, tx); err != nil {
		return false, err
	}
	on := dec.At
	if !on.Before(e.Ends) {
		return false, tally.Errorf(tally.EInvalid, "case %s already ended at the end of its term", e.CaseNumber)
	}
	rm := &tally.ListRemoval{EntryID: e.ID, Reason: tally.Overturned, On: on, Note: fmt.Sprintf("objection #%d: %s", o.ID, dec.Reasons), RecordedAt: on, RecordedBy: dec.By}
	if err := tx.InsertRemoval(ctx, rm); err != nil {
		return false, err
	}
	dec.Removal = rm.ID
	return true, s.shareRemoval(ctx, tx, e, rm)
}

// decideRecord carries out a decision on a record or a score.
func (s *Service) decideRecord(ctx context.Context, tx recordTx, o *tally.Objection, d Decision, dec *tally.ObjectionDecision) error {
	id := o.TargetID
	if o.Target == tally.TargetScore {
		id = d.Record
		if id == 0 && dec.Outcome != tally.Upheld {
			return tally.FieldErrorf("record", "a score is corrected through its records: name the record to void or correct")
		}
	}
	if id == 0 {
		return nil
	}
	r, err := tx.RecordByID(ctx, id)
	if err != nil {
		return err
	}
	if r.Scheme != o.Scheme || r.SubjectID != o.SubjectID {
		return tally.Errorf(tally.ENotFound, "record #%d is not the subject's in scheme %s", id, o.Scheme)
	}
	dec.Record = r.ID
	if dec.Outcome == tally.Upheld {
		return nil
	}
	rev, err := s.appendReversal(ctx, tx, r, accessDetail("objection-decided", itoa(o.ID), string(dec.Outcome), dec.Reasons), fmt.Sprintf("objection/%d/reversal", o.ID))
	if err != nil {
		return err
	}
	dec.Reversal = rev.ID
	if dec.Outcome != tally.Corrected {
		return nil
	}
	subj, err := tx.SubjectByID(ctx, r.SubjectID)
	if err != nil {
		return err
	}
	identifier, err := s.vault.Open(subj.Sealed)
	if err != nil {
		return err
	}
	c := Conduct{Scheme: r.Scheme, Identifier: identifier, Rule: r.Rule, FactArgs: d.Facts, At: r.HappenedAt,
		Ref: fmt.Sprintf("objection/%d/correction", o.ID), Evidence: r.Evidence, By: dec.By, decided: true}
	if len(d.Facts) == 0 {
		c.Facts = r.Facts
	}
	if c.Evidence == "" {
		c.Evidence = fmt.Sprintf("objection #%d", o.ID)
	}
	fixed, err := s.record(ctx, tx, c, false, nil)
	if err != nil {
		return err
	}
	if err := mayOnlyImprove(r, &fixed.Record); err != nil {
		return err // the transaction rolls back: the reversal is not kept either
	}
	dec.Correction = fixed.Record.ID
	return nil
}
