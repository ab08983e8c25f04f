package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
)

// ObjectionInput is what Object needs: the subject, what they object to
// (a record by number, a list entry by list and case number, or without
// either their score in a scheme) and why.
type ObjectionInput struct {
	Scheme     string // the scheme of a record or score
	Identifier string // the subject's identity number
	Record     int64  // a record; or
	List, Case string // a list entry; or neither: the score
	Grounds    string
	Evidence   string
}

// MaxGrounds bounds grounds, reasons and obligations, in characters.
const MaxGrounds = 4000

// ObjectionView is an objection with what a reader needs beside it.
type ObjectionView struct {
	tally.Objection
	Subject  SubjectView `json:"subject"`
	About    string      `json:"about"`   // what the target is, in words
	Overdue  bool        `json:"overdue"` // a deadline passed without the step
	AppealBy time.Time   `json:"appeal_by,omitzero"`
	// Provisional: a deadline was counted across, or falls in, a year
	// whose holiday notice tally lacks (Monday to Friday counted), as the
	// calendar stands when read.
	Provisional bool `json:"provisional,omitempty"`
}

// mayObject: the subject itself; admins and the scheme's reviewers as
// representatives (the objection names who filed it).
func (s *Service) mayObject(a *tally.Actor, scheme, identifier string) error {
	return authorize(a, OpObject, s.target(scheme, identifier))
}

// checkText refuses empty or overlong text for field.
func checkText(field, text, what string) error {
	if strings.TrimSpace(text) == "" {
		return tally.FieldErrorf(field, "%s", what)
	}
	if utf8.RuneCountInString(text) > MaxGrounds {
		return tally.FieldErrorf(field, "longer than %d characters", MaxGrounds)
	}
	return tally.CheckText(field, text, tally.Limits.Reason, true)
}

// dueTx is what finding the due-process settings of a step reads.
type dueTx interface {
	Rulebooks
	Catalogue
	ListEntries
}

// objectionDue returns the due-process settings and time zone of an
// objection: its scheme's, or for a list entry its list's.
func (s *Service) objectionDue(ctx context.Context, tx dueTx, o *tally.Objection) (tally.DueProcess, *time.Location, error) {
	if o.Scheme != "" || o.Target != tally.TargetEntry {
		return s.dueSettings(ctx, tx, o.Scheme)
	}
	e, err := subjectEntry(ctx, tx, o.SubjectID, o.TargetID)
	if err != nil {
		return tally.DueProcess{}, nil, err
	}
	return s.listDue(ctx, tx, e.List)
}

// subjectEntry returns a subject's list entry by ID, with its removal if
// any, or ENotFound.
func subjectEntry(ctx context.Context, tx ListEntries, subjectID, entryID int64) (*tally.ListEntry, error) {
	es, err := tx.ListEntriesOf(ctx, subjectID)
	if err != nil {
		return nil, err
	}
	for i := range es {
		if es[i].ID == entryID {
			return &es[i], nil
		}
	}
	return nil, tally.Errorf(tally.ENotFound, "no list entry #%d", entryID)
}

// dueSettings returns a scheme's due-process settings and time zone; for
// scheme "", the sanctions catalogue's own clocks in its zone (a list
// entry's are its list's: objectionDue, listDue).
func (s *Service) dueSettings(ctx context.Context, tx interface {
	Rulebooks
	Catalogue
}, scheme string) (tally.DueProcess, *time.Location, error) {
	if scheme == "" {
		return s.listDue(ctx, tx, "")
	}
	vs, err := s.versions(ctx, tx, scheme)
	if err != nil {
		return tally.DueProcess{}, nil, err
	}
	b := vs[len(vs)-1].Book
	return dueOf(b), b.Location, nil
}

// endOfDay is the last instant of t's day in loc: deadlines run to the
// end of their day.
func endOfDay(t time.Time, loc *time.Location) time.Time {
	return localtime.NextDay(t, loc).Add(-time.Microsecond)
}

// Object files an objection. It is acknowledged within the scheme's
// working days and decided within its days, by a reviewer who did not
// make the original entry; a list entry stays in force meanwhile.
func (s *Service) Object(ctx context.Context, in ObjectionInput) (*ObjectionView, error) {
	a := ActorOf(ctx)
	in.List, in.Case = strings.TrimSpace(in.List), strings.TrimSpace(in.Case)
	switch {
	case in.Identifier == "":
		return nil, tally.FieldErrorf("subject", "name the subject by identifier")
	case in.List == "" && in.Scheme == "":
		return nil, tally.FieldErrorf("scheme", "name the scheme of the record or score, or the list of the entry")
	case in.List != "" && in.Case == "":
		return nil, tally.FieldErrorf("case", "name the case number of the list entry")
	case in.List != "" && in.Record != 0:
		return nil, tally.FieldErrorf("record", "object to a record or a list entry, not both")
	}
	if err := checkText("grounds", in.Grounds, "say why you object"); err != nil {
		return nil, err
	}
	if err := tally.CheckText("evidence", in.Evidence, tally.Limits.Evidence, true); err != nil {
		return nil, err
	}
	if in.List != "" {
		in.Scheme = ""
	}
	if err := s.mayObject(a, in.Scheme, in.Identifier); err != nil {
		return nil, err
	}
	var out *ObjectionView
	err := s.store.Update(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, in.Identifier)
		if err != nil {
			return err
		}
		o := &tally.Objection{Scheme: in.Scheme, SubjectID: subj.ID, Target: tally.TargetScore,
			Grounds: strings.TrimSpace(in.Grounds), Evidence: strings.TrimSpace(in.Evidence), FiledAt: s.now(), FiledBy: a.Name}
		switch {
		case in.List != "":
			e, err := tx.ListEntryByCase(ctx, in.List, in.Case)
			if err != nil {
				return err
			}
			if e.SubjectID != subj.ID {
				return tally.Errorf(tally.ENotFound, "list %s has no case %s of %s", in.List, in.Case, subj.Masked)
			}
			if e.Removal != nil || !e.Ends.After(o.FiledAt) {
				return tally.Errorf(tally.EInvalid, "case %s no longer counts: there is nothing to object to", in.Case)
			}
			o.Target, o.TargetID = tally.TargetEntry, e.ID
		case in.Record != 0:
			r, err := s.objectable(ctx, tx, in.Record, in.Scheme, subj.ID)
			if err != nil {
				return err
			}
			o.Target, o.TargetID = tally.TargetRecord, r.ID
		default:
			if _, err := tx.Enrolment(ctx, in.Scheme, subj.ID); err != nil {
				return err
			}
		}
		if err := s.noOpenObjection(ctx, tx, o); err != nil {
			return err
		}
		dp, loc, err := s.objectionDue(ctx, tx, o)
		if err != nil {
			return err
		}
		cal := workdays(ctx, tx)
		if o.AcknowledgeBy, err = deadline(dp.Acknowledge, o.FiledAt, loc, cal); err != nil {
			return err
		}
		if o.DecideBy, err = deadline(dp.Decide, o.FiledAt, loc, cal); err != nil {
			return err
		}
		if err := tx.InsertObjection(ctx, o); err != nil {
			return err
		}
		out = &ObjectionView{Objection: *o, Subject: viewOf(subj)}
		if out.Provisional, err = cal.provisional(loc, objectionRuns(o, dp, time.Time{})...); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, subj.ID, o.Scheme, "object", accessDetail("objection-filed", itoa(o.ID), string(o.Target), itoa(o.TargetID), o.Grounds))
	})
	return out, err
}

// objectable finds a subject's original record in a scheme that still
// stands: not a reversal, not reversed.
func (s *Service) objectable(ctx context.Context, tx RecordReads, id int64, scheme string, subjectID int64) (*tally.Record, error) {
	r, err := tx.RecordByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Scheme != scheme || r.SubjectID != subjectID {
		return nil, tally.Errorf(tally.ENotFound, "record #%d is not the subject's in scheme %s", id, scheme)
	}
	if r.IsReversal() {
		return nil, tally.FieldErrorf("record", "record #%d is a reversal: object to the record it reverses", id)
	}
	if rev, err := tx.ReversalOf(ctx, id); err == nil {
		return nil, tally.Errorf(tally.EInvalid, "record #%d was already reversed by #%d", id, rev.ID)
	} else if tally.ErrorCodeOf(err) != tally.ENotFound {
		return nil, err
	}
	return r, nil
}

// noOpenObjection refuses a second open objection to one target.
func (s *Service) noOpenObjection(ctx context.Context, tx Objections, o *tally.Objection) error {
	open, err := tx.Objections(ctx, DueFilter{SubjectID: o.SubjectID, Open: true, Limit: MaxPage})
	if err != nil {
		return err
	}
	for _, p := range open {
		if p.Target == o.Target && p.TargetID == o.TargetID && p.Scheme == o.Scheme {
			return tally.Errorf(tally.EConflict, "objection #%d to this %s is still open", p.ID, o.Target)
		}
	}
	return nil
}

// Acknowledge records that a reviewer has taken up an objection.
// Acknowledging again changes nothing.
func (s *Service) Acknowledge(ctx context.Context, id int64) (*tally.Objection, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReview, Target{}); err != nil {
		return nil, err
	}
	var out *tally.Objection
	err := s.store.Update(ctx, func(tx Tx) error {
		o, err := tx.Objection(ctx, id)
		if err != nil {
			return err
		}
		if err := mayReview(a, o.Scheme); err != nil {
			return err
		}
		out = o
		if !o.AcknowledgedAt.IsZero() {
			return nil
		}
		o.AcknowledgedAt, o.AcknowledgedBy = s.now(), a.Name
		if err := tx.AcknowledgeObjection(ctx, id, o.AcknowledgedAt, a.Name); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, o.SubjectID, o.Scheme, "acknowledge", accessDetail("objection-acknowledged", itoa(id)))
	})
	return out, err
}

// Appeal files a second-level objection against a decision, within the
// scheme's appeal window; a reviewer other than the first decides it. A
// decision is appealed once; an appeal's decision is final here.
func (s *Service) Appeal(ctx context.Context, id int64, grounds, evidence string) (*ObjectionView, error) {
	a := ActorOf(ctx)
	if err := checkText("grounds", grounds, "say why you appeal"); err != nil {
		return nil, err
	}
	if err := tally.CheckText("evidence", evidence, tally.Limits.Evidence, true); err != nil {
		return nil, err
	}
	var out *ObjectionView
	err := s.store.Update(ctx, func(tx Tx) error {
		first, err := tx.Objection(ctx, id)
		if err != nil {
			return err
		}
		subj, err := tx.SubjectByID(ctx, first.SubjectID)
		if err != nil {
			return err
		}
		if err := s.mayAppeal(a, first.Scheme, subj); err != nil {
			return err
		}
		switch {
		case first.AppealOf != 0:
			return tally.Errorf(tally.EInvalid, "objection #%d is itself an appeal: its decision is final here", id)
		case first.Decision == nil:
			return tally.Errorf(tally.EInvalid, "objection #%d is not decided yet: an appeal follows a decision", id)
		case first.Decision.Outcome == tally.Voided:
			return tally.Errorf(tally.EInvalid, "objection #%d was decided in the subject's favour: there is nothing to appeal", id)
		}
		dp, loc, err := s.objectionDue(ctx, tx, first)
		if err != nil {
			return err
		}
		now, cal := s.now(), workdays(ctx, tx)
		until, err := deadline(dp.Appeal, first.Decision.At, loc, cal)
		if err != nil {
			return err
		}
		if now.After(until) {
			return tally.Errorf(tally.EInvalid, "the appeal window of objection #%d ended on %s", id, day(until.In(loc)))
		}
		ap := &tally.Objection{Scheme: first.Scheme, SubjectID: first.SubjectID, Target: first.Target, TargetID: first.TargetID,
			Grounds: strings.TrimSpace(grounds), Evidence: strings.TrimSpace(evidence), FiledAt: now, FiledBy: a.Name, AppealOf: first.ID}
		if ap.AcknowledgeBy, err = deadline(dp.Acknowledge, now, loc, cal); err != nil {
			return err
		}
		if ap.DecideBy, err = deadline(dp.AppealDecide, now, loc, cal); err != nil {
			return err
		}
		if first.Decision.Correction != 0 {
			ap.Target, ap.TargetID = tally.TargetRecord, first.Decision.Correction
		} else if first.Target == tally.TargetScore && first.Decision.Record != 0 {
			ap.Target, ap.TargetID = tally.TargetRecord, first.Decision.Record
		}
		if err := tx.InsertObjection(ctx, ap); err != nil {
			return err
		}
		if out, err = s.objectionView(ap, subj, dp, loc, cal, ""); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, subj.ID, ap.Scheme, "appeal", accessDetail("appeal-filed", itoa(ap.ID), itoa(id), ap.Grounds))
	})
	return out, err
}

// mayAppeal: the subject itself, admins, and reviewers as representatives.
func (s *Service) mayAppeal(a *tally.Actor, scheme string, subj *tally.Subject) error {
	return authorize(a, OpObject, Target{Scheme: scheme, Lookup: subj.Lookup})
}

// objectionView dresses an objection for a reader, its appeal window
// counted on cal in the scheme's zone loc.
func (s *Service) objectionView(o *tally.Objection, subj *tally.Subject, dp tally.DueProcess, loc *time.Location, cal *storedCalendar, about string) (*ObjectionView, error) {
	v := &ObjectionView{Objection: *o, Subject: viewOf(subj), Overdue: o.Overdue(s.now()), About: about}
	if about == "" {
		v.About = fmt.Sprintf("%s #%d", o.Target, o.TargetID)
		if o.Target == tally.TargetScore {
			v.About = "score in " + o.Scheme
		}
	}
	if o.Decision != nil && o.AppealOf == 0 && o.Decision.Outcome != tally.Voided {
		by, err := dp.Appeal.From(o.Decision.At.In(loc), cal)
		if err != nil {
			return nil, err
		}
		v.AppealBy = by
	}
	var err error
	v.Provisional, err = cal.provisional(loc, objectionRuns(o, dp, v.AppealBy)...)
	return v, err
}

// objectionRuns returns the clocks behind an objection's deadlines as the
// scheme's settings dp set them: acknowledge and decide from the filing,
// and the appeal window from the decision to appealBy (zero: none).
func objectionRuns(o *tally.Objection, dp tally.DueProcess, appealBy time.Time) []run {
	decide := dp.Decide
	if o.AppealOf != 0 {
		decide = dp.AppealDecide
	}
	runs := []run{{dp.Acknowledge, o.FiledAt, o.AcknowledgeBy}, {decide, o.FiledAt, o.DecideBy}}
	if !appealBy.IsZero() {
		runs = append(runs, run{dp.Appeal, o.Decision.At, appealBy})
	}
	return runs
}

// ObjectionQuery selects objections for Objections.
type ObjectionQuery struct {
	Scheme     string // "" for every scheme the reader may see
	Identifier string // one subject's; a subject reads only its own
	Open       bool   // only those not decided
	Overdue    bool   // only those past a deadline (implies Open)
	After      int64
	Limit      int
}

// Objections lists objections, oldest first: a subject its own; admins
// and reviewers those of the schemes they review (the queue, with the
// overdue flagged). Reading one's own is not logged; a reviewer's reading
// of one subject's objections is.
func (s *Service) Objections(ctx context.Context, q ObjectionQuery) ([]ObjectionView, error) {
	a := ActorOf(ctx)
	f := DueFilter{Open: q.Open || q.Overdue, After: q.After, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	if err := mayReadDue(a, OpReadObjections, q.Scheme); err != nil {
		return nil, err
	}
	if a.Role != tally.SubjectR {
		f.Schemes = reviewSchemes(a, q.Scheme)
	}
	if q.Scheme != "" && a.Role == tally.SubjectR {
		f.Schemes = []string{q.Scheme}
	}
	var out []ObjectionView
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if f.SubjectID, err = s.askedSubject(ctx, tx, a, q.Identifier); err != nil {
			return err
		}
		os, err := tx.Objections(ctx, f)
		if err != nil {
			return err
		}
		out = make([]ObjectionView, 0, len(os))
		subjects, cal := map[int64]*tally.Subject{}, workdays(ctx, tx)
		for i := range os {
			o := &os[i]
			if q.Overdue && !o.Overdue(s.now()) {
				continue
			}
			subj, ok := subjects[o.SubjectID]
			if !ok {
				if subj, err = tx.SubjectByID(ctx, o.SubjectID); err != nil {
					return err
				}
				subjects[o.SubjectID] = subj
			}
			dp, loc, err := s.objectionDue(ctx, tx, o)
			if err != nil {
				return err
			}
			v, err := s.objectionView(o, subj, dp, loc, cal, s.about(ctx, tx, o, loc))
			if err != nil {
				return err
			}
			out = append(out, *v)
		}
		return nil
	})
	return out, err
}

// targetReads is what naming an objection's target reads.
type targetReads interface {
	RecordReads
	ListEntries
}

// about describes an objection's target in words, best effort, with its
// day in the scheme's zone loc.
func (s *Service) about(ctx context.Context, tx targetReads, o *tally.Objection, loc *time.Location) string {
	switch o.Target {
	case tally.TargetRecord:
		if r, err := tx.RecordByID(ctx, o.TargetID); err == nil {
			return fmt.Sprintf("record #%d: %s %+d on %s", r.ID, r.Rule, r.Awarded, localtime.Date(r.HappenedAt, loc))
		}
	case tally.TargetEntry:
		if e, err := subjectEntry(ctx, tx, o.SubjectID, o.TargetID); err == nil {
			return fmt.Sprintf("list %s, case %s (%s)", e.List, e.CaseNumber, e.Court)
		}
	}
	return ""
}
