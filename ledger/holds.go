package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// dueOf returns a book's due-process settings, the defaults for a Book not
// made by rulebook.Load.
func dueOf(b *rulebook.Book) tally.DueProcess {
	if b.DueProcess.SecondReviewAbove == 0 {
		return tally.DefaultDueProcess()
	}
	return b.DueProcess
}

// holdReason says why a record must wait for a second person before it
// counts, as stored (HoldReason.String), or "" when it need not: a
// deduction of serious severity, or of more points than the scheme's
// threshold (after the cap).
func holdReason(dp tally.DueProcess, rule *rulebook.Rule, r *tally.Record) string {
	if r.Awarded >= 0 || r.IsReversal() {
		return ""
	}
	if rule.Severity == tally.Serious {
		return HoldReason{Code: HoldSerious}.String()
	}
	if -r.Awarded > dp.SecondReviewAbove {
		return HoldReason{Code: HoldLarge, Points: r.Awarded, Above: dp.SecondReviewAbove}.String()
	}
	return ""
}

// hold writes the hold of a record just inserted.
func (s *Service) hold(ctx context.Context, tx Holds, r *tally.Record, reason string) error {
	return tx.InsertHold(ctx, holdOf(r, reason, s.now()))
}

// holdOf is the hold of record r for reason, from now.
func holdOf(r *tally.Record, reason string, now time.Time) *tally.Hold {
	return &tally.Hold{RecordID: r.ID, Scheme: r.Scheme, SubjectID: r.SubjectID, Reason: reason, At: now}
}

// Held is a held record as the review queue shows it.
type Held struct {
	tally.Hold
	ReasonText tally.Text  `json:"reason_text"` // Reason, read (HoldReasonText)
	Record     Entry       `json:"record"`
	Subject    SubjectView `json:"subject"`
}

// mayReview: admins and the scheme's reviewers decide holds, repairs and
// objections; never on what they recorded themselves.
func mayReview(a *tally.Actor, scheme string) error {
	return authorize(a, OpReview, Target{Scheme: scheme})
}

// mayReadDue: reading due-process queues (objections, repairs): a subject
// reads its own (the listing is then filtered to it), reviewers those of
// their schemes.
func mayReadDue(a *tally.Actor, op Op, scheme string) error {
	return authorize(a, op, Target{Scheme: scheme, Lookup: a.Lookup})
}

// reviewSchemes is the filter of what an actor may review: nil for all.
func reviewSchemes(a *tally.Actor, scheme string) []string {
	switch {
	case scheme != "":
		return []string{scheme}
	case a.Role == tally.Reviewer && len(a.Schemes) > 0:
		return append([]string{""}, a.Schemes...)
	}
	return nil
}

// PendingReviews returns the records waiting for a second person, oldest
// first, in one scheme or (scheme "") every scheme the reviewer may review.
func (s *Service) PendingReviews(ctx context.Context, scheme string, after int64, limit int) ([]Held, error) {
	a := ActorOf(ctx)
	if err := mayReview(a, scheme); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var out []Held
	err := s.store.View(ctx, func(tx Tx) error {
		hs, err := tx.Holds(ctx, DueFilter{Schemes: reviewSchemes(a, scheme), Open: true, After: after, Limit: limit})
		if err != nil {
			return err
		}
		out = make([]Held, 0, len(hs))
		for _, h := range hs {
			r, err := tx.RecordByID(ctx, h.RecordID)
			if err != nil {
				return err
			}
			if _, err := tx.ReversalOf(ctx, r.ID); err == nil {
				continue // voided while it waited: nothing to approve
			} else if tally.ErrorCodeOf(err) != tally.ENotFound {
				return err
			}
			vs, err := s.versions(ctx, tx, r.Scheme)
			if err != nil {
				return err
			}
			subj, err := tx.SubjectByID(ctx, r.SubjectID)
			if err != nil {
				return err
			}
			e := entry(vs, *r)
			e.Pending = true
			out = append(out, Held{Hold: h, ReasonText: HoldReasonText(h.Reason), Record: e, Subject: viewOf(subj)})
		}
		es := make([]*Entry, len(out))
		for i := range out {
			es[i] = &out[i].Record
		}
		return markDisputed(ctx, tx, s.now(), es...)
	})
	return out, err
}

// Approve lets a held record count, from when it happened; the person who
// recorded it, and its subject, may not approve (or reject) it.
func (s *Service) Approve(ctx context.Context, recordID int64, reasons string) (*tally.Hold, error) {
	return s.decideHold(ctx, recordID, true, reasons)
}

// Reject refuses a held record with reasons: a reversal is appended, so
// it never counts, and the history shows both.
func (s *Service) Reject(ctx context.Context, recordID int64, reasons string) (*tally.Hold, error) {
	return s.decideHold(ctx, recordID, false, reasons)
}

func (s *Service) decideHold(ctx context.Context, recordID int64, approve bool, reasons string) (*tally.Hold, error) {
	if recordID <= 0 {
		return nil, tally.FieldErrorf("record", "name the held record by number")
	}
	if !approve && strings.TrimSpace(reasons) == "" {
		return nil, tally.FieldErrorf("reasons", "a rejection needs written reasons")
	}
	if strings.TrimSpace(reasons) == "" {
		reasons = "approved"
	}
	if err := tally.CheckText("reasons", reasons, tally.Limits.Reason, true); err != nil {
		return nil, err
	}
	a := ActorOf(ctx)
	if err := authorize(a, OpReview, Target{}); err != nil {
		return nil, err
	}
	var out *tally.Hold
	err := s.store.Update(ctx, func(tx Tx) error {
		h, err := tx.Hold(ctx, recordID)
		if err != nil {
			return err
		}
		if err := mayReview(a, h.Scheme); err != nil {
			return err
		}
		if h.Decision != nil {
			return tally.Errorf(tally.EConflict, "record #%d was already %s by %s", recordID, approvedWord(h.Decision.Approved), h.Decision.By)
		}
		r, err := tx.RecordByID(ctx, recordID)
		if err != nil {
			return err
		}
		parties, err := holdParties(ctx, tx, r)
		if err != nil {
			return err
		}
		if err := s.mayDecide(ctx, tx, a, phrase("approve or reject #%d", r.ID), phrase("a second person must"), parties); err != nil {
			return err
		}
		if err := tx.LockSubject(ctx, r.Scheme, r.SubjectID); err != nil {
			return err
		}
		d := &tally.HoldDecision{RecordID: recordID, Approved: approve, Reasons: reasons, At: s.now(), By: a.Name}
		if !approve {
			rev, err := s.appendReversal(ctx, tx, r, fmt.Sprintf("rejected at second review: %s", reasons), fmt.Sprintf("review/%d/rejected", r.ID))
			if err != nil {
				return err
			}
			d.Reversal = rev.ID
		}
		if err := tx.InsertHoldDecision(ctx, d); err != nil {
			return err
		}
		h.Decision = d
		out = h
		action := "approve"
		if !approve {
			action = "reject"
		}
		if err := s.logAccess(ctx, tx, r.SubjectID, r.Scheme, action, accessDetail("second-review", itoa(r.ID), approvedWord(approve), reasons)); err != nil {
			return err
		}
		if approve {
			return s.noticeRecord(ctx, tx, r, "")
		}
		return nil
	})
	return out, err
}

func approvedWord(ok bool) string {
	if ok {
		return "approved"
	}
	return "rejected"
}

// reversalTx is what appending a reversal reads and writes.
type reversalTx interface {
	outboxTx
	RecordReads
	Records
}

// appendReversal appends a reversal of r by the actor, refusing a record
// already reversed.
func (s *Service) appendReversal(ctx context.Context, tx reversalTx, r *tally.Record, reason, ref string) (*tally.Record, error) {
	if prev, err := tx.ReversalOf(ctx, r.ID); err == nil {
		return nil, tally.Errorf(tally.EConflict, "record #%d was already reversed by #%d", r.ID, prev.ID)
	} else if tally.ErrorCodeOf(err) != tally.ENotFound {
		return nil, err
	}
	rev := reversalOf(r, ActorOf(ctx).Name, reason, ref, s.now())
	if err := tx.InsertRecord(ctx, rev); err != nil {
		return nil, err
	}
	return rev, s.shareReversal(ctx, tx, r, rev)
}

// reversalOf is the record that reverses r, made by by at now.
func reversalOf(r *tally.Record, by, reason, ref string, now time.Time) *tally.Record {
	rev := &tally.Record{
		Scheme: r.Scheme, Version: r.Version, SubjectID: r.SubjectID, Rule: r.Rule, Facts: r.Facts,
		HappenedAt: now, RecordedAt: now, RecordedBy: by, Ref: ref,
		Requested: -r.Awarded, Awarded: -r.Awarded, Reason: reason, Reverses: r.ID,
	}
	rev.Digest = digest(rev)
	return rev
}

// dueMarksTx is what marking entries held or repaired reads.
type dueMarksTx interface {
	Holds
	Repairs
}

// standings returns what the ledger knows of a subject's records in a
// scheme beyond their own fields: which are held without a decision and
// when an approved repair ended them (tally.Standing), by record ID.
// Reversals are known from the history itself.
func standings(ctx context.Context, tx dueMarksTx, scheme string, subjectID int64) (map[int64]tally.Standing, error) {
	f := DueFilter{Schemes: []string{scheme}, SubjectID: subjectID, Open: true, Limit: MaxPage}
	hs, err := tx.Holds(ctx, f)
	if err != nil {
		return nil, err
	}
	f.Open = false
	rs, err := tx.Repairs(ctx, f)
	if err != nil {
		return nil, err
	}
	out := map[int64]tally.Standing{}
	for _, h := range hs {
		st := out[h.RecordID]
		st.Held = true
		out[h.RecordID] = st
	}
	for _, p := range rs {
		if d := p.Decision; d != nil && d.Approved {
			st := out[p.RecordID]
			if st.RepairedAt.IsZero() || d.At.Before(st.RepairedAt) {
				st.RepairedAt = d.At
			}
			out[p.RecordID] = st
		}
	}
	return out, nil
}

// markDue marks the entries of a history page that are held or repaired.
func markDue(ctx context.Context, tx dueMarksTx, scheme string, subjectID int64, es []Entry) error {
	if len(es) == 0 {
		return nil
	}
	sts, err := standings(ctx, tx, scheme, subjectID)
	if err != nil {
		return err
	}
	for i := range es {
		e := &es[i]
		st := sts[e.ID]
		e.Pending = st.Held && !e.Reversed
		if !st.RepairedAt.IsZero() {
			e.RepairedAt = st.RepairedAt.In(e.HappenedAt.Location())
		}
	}
	return nil
}
