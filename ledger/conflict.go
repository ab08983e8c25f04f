package ledger

import (
	"bytes"
	"context"
	"slices"
	"strings"

	"github.com/tallycredit/tally"
)

// This file holds the conflict-of-interest rule of due process: nobody
// decides a case they took part in. Role checks say who may decide at
// all; mayDecide, called right after them, says who may not decide this
// case. Actors are compared by name, as records, objections and decisions
// name them (RecordedBy, FiledBy, By).

// caseParties is who took part in a case, and how, and whose case it is.
type caseParties struct {
	subject *tally.Subject
	parts   map[string]phrases // actor name -> what they did, in order
}

func newParties(subject *tally.Subject) *caseParties {
	return &caseParties{subject: subject, parts: map[string]phrases{}}
}

// add notes that name took part as part says ("filed objection #3").
func (c *caseParties) add(name, format string, args ...any) {
	if name == "" {
		return
	}
	part := phrase(format, args...)
	if !slices.ContainsFunc(c.parts[name], func(p *tally.Error) bool { return p.Message == part.Message }) {
		c.parts[name] = append(c.parts[name], part)
	}
}

// phrase is part of a sentence a person reads (what someone did, what they
// may not do), kept with its English format so that it is said in the
// language of the sentence around it.
func phrase(format string, args ...any) *tally.Error { return tally.Errorf("", format, args...) }

// phrases are the things one person did in a case, said together.
type phrases []*tally.Error

func (p phrases) Error() string { return p.Render(tally.English) }

// Render says each phrase in the reader's language, joined.
func (p phrases) Render(tr tally.Translator) string {
	out := make([]string, len(p))
	for i, e := range p {
		out[i] = e.Say(tr)
	}
	return strings.Join(out, tr(" and "))
}

// mayDecide refuses, with EForbidden, an actor who took part in a case
// (filed, recorded, approved or decided in it) or is its subject: what
// names the decision ("decide objection #4"), instead who may make it.
func (s *Service) mayDecide(ctx context.Context, tx Accounts, a *tally.Actor, what, instead *tally.Error, c *caseParties) error {
	if c.subject != nil {
		self, err := isSubject(ctx, tx, a, c.subject)
		if err != nil {
			return err
		}
		if self {
			return tally.Errorf(tally.EForbidden, "%s is the subject of this case and may not %s: %s", a.Name, what, instead)
		}
	}
	if parts := c.parts[a.Name]; len(parts) > 0 {
		return tally.Errorf(tally.EForbidden, "%s %s, and may not %s: %s", a.Name, parts, what, instead)
	}
	return nil
}

// isSubject reports whether an actor is the subject: its identity lookup
// hash is the subject's, or it bears the name of a web account linked to
// the subject.
func isSubject(ctx context.Context, tx Accounts, a *tally.Actor, subj *tally.Subject) (bool, error) {
	if len(subj.Lookup) == 0 {
		return false, nil
	}
	if len(a.Lookup) > 0 && bytes.Equal(a.Lookup, subj.Lookup) {
		return true, nil
	}
	acct, err := tx.AccountByName(ctx, a.Name)
	switch {
	case tally.ErrorCodeOf(err) == tally.ENotFound:
		return false, nil
	case err != nil:
		return false, err
	}
	return len(acct.Lookup) > 0 && bytes.Equal(acct.Lookup, subj.Lookup), nil
}

// addRecord notes who recorded a record and who decided it at second
// review.
func (c *caseParties) addRecord(ctx context.Context, tx Holds, r *tally.Record) error {
	c.add(r.RecordedBy, "recorded #%d", r.ID)
	h, err := tx.Hold(ctx, r.ID)
	switch {
	case tally.ErrorCodeOf(err) == tally.ENotFound:
		return nil
	case err != nil:
		return err
	}
	if h.Decision != nil {
		if h.Decision.Approved {
			c.add(h.Decision.By, "approved #%d at second review", r.ID)
		} else {
			c.add(h.Decision.By, "rejected #%d at second review", r.ID)
		}
	}
	return nil
}

// targetTx is what finding who made an objection's target reads.
type targetTx interface {
	RecordReads
	Holds
	ListEntries
}

// addTarget notes who made an objection's target: its record or list
// entry, or for a score objection the record the decision acts on
// (record; 0 for none). A record that is not the subject's in the scheme
// adds nobody: the decision itself refuses it.
func (c *caseParties) addTarget(ctx context.Context, tx targetTx, o *tally.Objection, record int64) error {
	switch o.Target {
	case tally.TargetEntry:
		es, err := tx.ListEntriesOf(ctx, o.SubjectID)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.ID == o.TargetID {
				c.add(e.RecordedBy, "made list entry #%d", e.ID)
			}
		}
		return nil
	case tally.TargetRecord:
		record = o.TargetID
	}
	if record == 0 {
		return nil
	}
	r, err := tx.RecordByID(ctx, record)
	switch {
	case tally.ErrorCodeOf(err) == tally.ENotFound:
		return nil
	case err != nil:
		return err
	}
	if r.Scheme != o.Scheme || r.SubjectID != o.SubjectID {
		return nil
	}
	return c.addRecord(ctx, tx, r)
}

// caseTx is what finding the parties of a case reads: the subject, the
// records, holds and list entries objected to, and earlier objections.
type caseTx interface {
	Subjects
	RecordReads
	Holds
	ListEntries
	Objections
}

// objectionParties is everyone who took part in an objection's case:
// who filed it and made its target (record is the record a score
// objection's decision acts on). For an appeal, also everyone who took
// part in the first round: who filed, acknowledged and decided it and
// made its target. Acknowledging a first-level objection does not bar
// its acknowledger from deciding it; it does bar them from the appeal.
func objectionParties(ctx context.Context, tx caseTx, o *tally.Objection, record int64) (*caseParties, error) {
	subj, err := tx.SubjectByID(ctx, o.SubjectID)
	if err != nil {
		return nil, err
	}
	c := newParties(subj)
	if o.AppealOf != 0 {
		first, err := tx.Objection(ctx, o.AppealOf)
		if err != nil {
			return nil, err
		}
		if first.Decision != nil {
			c.add(first.Decision.By, "decided objection #%d", first.ID)
		}
		c.add(first.AcknowledgedBy, "acknowledged objection #%d", first.ID)
		c.add(first.FiledBy, "filed objection #%d", first.ID)
		firstRecord := int64(0)
		if first.Decision != nil {
			firstRecord = first.Decision.Record
		}
		if err := c.addTarget(ctx, tx, first, firstRecord); err != nil {
			return nil, err
		}
	}
	c.add(o.FiledBy, "filed objection #%d", o.ID)
	if err := c.addTarget(ctx, tx, o, record); err != nil {
		return nil, err
	}
	if err := c.addEarlier(ctx, tx, o); err != nil {
		return nil, err
	}
	return c, nil
}

// addEarlier notes who decided an earlier objection, or its appeal, to the
// same record or list entry: a fresh objection to an entry is not a fresh
// case for those who already judged it.
func (c *caseParties) addEarlier(ctx context.Context, tx Objections, o *tally.Objection) error {
	if o.Target == tally.TargetScore {
		return nil
	}
	for after := int64(0); ; {
		page, err := tx.Objections(ctx, DueFilter{SubjectID: o.SubjectID, After: after, Limit: MaxPage})
		if err != nil {
			return err
		}
		for _, e := range page {
			if e.ID == o.ID || e.Target != o.Target || e.TargetID != o.TargetID || e.Decision == nil {
				continue
			}
			c.add(e.Decision.By, "decided objection #%d to the same entry", e.ID)
		}
		if len(page) < MaxPage {
			return nil
		}
		after = page[len(page)-1].ID
	}
}

// holdParties is who took part in a held record: its recorder, and its
// subject.
func holdParties(ctx context.Context, tx Subjects, r *tally.Record) (*caseParties, error) {
	subj, err := tx.SubjectByID(ctx, r.SubjectID)
	if err != nil {
		return nil, err
	}
	c := newParties(subj)
	c.add(r.RecordedBy, "recorded #%d", r.ID)
	return c, nil
}

// repairCaseTx is what finding the parties of a repair reads.
type repairCaseTx interface {
	Subjects
	Holds
}

// repairParties is who took part in a repair: its applicant, the
// deduction's recorder and second reviewer, and its subject.
func repairParties(ctx context.Context, tx repairCaseTx, p *tally.Repair, r *tally.Record) (*caseParties, error) {
	subj, err := tx.SubjectByID(ctx, p.SubjectID)
	if err != nil {
		return nil, err
	}
	c := newParties(subj)
	c.add(p.AppliedBy, "applied for repair #%d", p.ID)
	if err := c.addRecord(ctx, tx, r); err != nil {
		return nil, err
	}
	return c, nil
}

// objectionCaseTx is what deciding who may decide an objection reads.
type objectionCaseTx interface {
	caseTx
	Accounts
}

// mayDecideObjection refuses, with EForbidden, a party to an objection's
// case (record: the record a score objection's decision acts on).
func (s *Service) mayDecideObjection(ctx context.Context, tx objectionCaseTx, a *tally.Actor, o *tally.Objection, record int64) error {
	c, err := objectionParties(ctx, tx, o, record)
	if err != nil {
		return err
	}
	what, instead := phrase("decide objection #%d", o.ID), phrase("another reviewer must")
	if o.AppealOf != 0 {
		what, instead = phrase("decide appeal #%d", o.ID), phrase("a different reviewer decides the appeal, one who took no part in the case")
	}
	return s.mayDecide(ctx, tx, a, what, instead, c)
}

// MayDecideObjection reports, without deciding, whether the actor may
// decide an objection: nil, or the EForbidden error Decide would return
// because the actor took part in its case or is its subject. The
// reviewer's page uses it to show the decision form only where it counts.
func (s *Service) MayDecideObjection(ctx context.Context, id int64) error {
	a := ActorOf(ctx)
	return s.store.View(ctx, func(tx Tx) error {
		o, err := tx.Objection(ctx, id)
		if err != nil {
			return err
		}
		if err := mayReview(a, o.Scheme); err != nil {
			return err
		}
		return s.mayDecideObjection(ctx, tx, a, o, 0)
	})
}

// MayReviewHold is MayDecideObjection for a held record: nil, or the
// EForbidden error Approve and Reject would return.
func (s *Service) MayReviewHold(ctx context.Context, recordID int64) error {
	a := ActorOf(ctx)
	return s.store.View(ctx, func(tx Tx) error {
		r, err := tx.RecordByID(ctx, recordID)
		if err != nil {
			return err
		}
		if err := mayReview(a, r.Scheme); err != nil {
			return err
		}
		c, err := holdParties(ctx, tx, r)
		if err != nil {
			return err
		}
		return s.mayDecide(ctx, tx, a, phrase("approve or reject #%d", r.ID), phrase("a second person must"), c)
	})
}
