package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
)

// A source decision is named by its number: a list entry derives from the
// decision whose case number it carries, and a record from the decision
// its ref names (the ref of a record that follows a judgment or penalty
// decision is that decision's number, unique in its scheme).

// Revocation is the input of Revoke: a source decision revoked or changed
// by its issuing body.
type Revocation struct {
	Source    string             // the case or decision number
	Change    tally.SourceChange // "" means revoked
	RevokedOn time.Time          // when the issuing body revoked it; zero: now
	Note      string             // e.g. the revoking decision's number
}

// CascadeView is a cascade as shown.
type CascadeView struct {
	ID              int64              `json:"id"`
	Source          string             `json:"source"`
	Change          tally.SourceChange `json:"change"`
	RevokedOn       time.Time          `json:"revoked_on"`
	Note            string             `json:"note,omitempty"`
	Due             time.Time          `json:"due"`
	RecordedAt      time.Time          `json:"recorded_at"`
	RecordedBy      string             `json:"recorded_by"`
	Overdue         bool               `json:"overdue"`
	EntriesRemoved  []int64            `json:"entries_removed"`
	RecordsReversed []int64            `json:"records_reversed"`
	Existed         bool               `json:"existed,omitempty"` // recorded before with the same content
}

func cascadeView(c *tally.Cascade) CascadeView {
	return CascadeView{ID: c.ID, Source: c.Source, Change: c.Change, RevokedOn: c.RevokedOn, Note: c.Note, Due: c.Due,
		RecordedAt: c.RecordedAt, RecordedBy: c.RecordedBy, Overdue: c.Overdue(),
		EntriesRemoved: append([]int64{}, c.EntriesRemoved...), RecordsReversed: append([]int64{}, c.RecordsReversed...)}
}

// Revoke records that a source decision was revoked or changed and, in the
// same transaction, reverses everything derived from it: every list entry
// with its case number is removed as revoked from the revocation date,
// every record with it as ref is reversed, each subject gets a notice and
// each step goes into the access log; the check index catches up before
// Revoke returns. The cascade clock (the shortest of the affected lists'
// and schemes' tally.DueProcess.Cascade; the catalogue's when nothing is
// affected) runs from the revocation date: a cascade recorded later is
// kept, and flagged overdue. The same revocation again returns the first;
// another for the same source is a conflict.
func (s *Service) Revoke(ctx context.Context, in Revocation) (*CascadeView, error) {
	if err := authorize(ActorOf(ctx), OpRevokeSource, Target{}); err != nil {
		return nil, err
	}
	var out *CascadeView
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		out, err = s.revoke(ctx, tx, in)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.listsChanged(ctx)
	return out, nil
}

// checkRevocation validates and completes a revocation.
func (s *Service) checkRevocation(in *Revocation) error {
	in.Source, in.Note = strings.TrimSpace(in.Source), strings.TrimSpace(in.Note)
	if in.Change == "" {
		in.Change = tally.SourceRevoked
	}
	now := s.now()
	if in.RevokedOn.IsZero() {
		in.RevokedOn = now
	}
	switch {
	case in.Source == "":
		return tally.FieldErrorf("source", "name the revoked decision by its case or decision number")
	case in.Change != tally.SourceRevoked && in.Change != tally.SourceChanged:
		return tally.FieldErrorf("change", "%q: want revoked or changed", in.Change)
	case in.RevokedOn.After(now):
		return tally.FieldErrorf("revoked_on", "%s is in the future: record a revocation once it has happened", day(in.RevokedOn))
	}
	if err := tally.CheckText("source", in.Source, tally.Limits.Ref, false); err != nil {
		return err
	}
	return tally.CheckText("note", in.Note, tally.Limits.Reason, true)
}

// cascadeTx is what a cascade touches.
type cascadeTx interface {
	outboxTx
	Cascades
	ListEntries
	Records
	RecordReads
	Calendars
	AccessLog
	Notices
}

// revoke records one revocation and its cascade in tx; what it undoes is
// shared last, once every subject it touches is locked.
func (s *Service) revoke(ctx context.Context, tx cascadeTx, in Revocation) (*CascadeView, error) {
	if err := s.checkRevocation(&in); err != nil {
		return nil, err
	}
	a := ActorOf(ctx)
	if err := lockLists(ctx, tx); err != nil {
		return nil, err
	}
	if old, err := tx.CascadeBySource(ctx, in.Source); err == nil {
		if old.Change != in.Change || old.Note != in.Note || !old.RevokedOn.Equal(in.RevokedOn) {
			return nil, tally.Errorf(tally.EConflict, "decision %s was already recorded as %s on %s", in.Source, old.Change, day(old.RevokedOn))
		}
		v := cascadeView(old)
		v.Existed = true
		return &v, nil
	} else if tally.ErrorCodeOf(err) != tally.ENotFound {
		return nil, err
	}
	now := s.now()
	c := &tally.Cascade{Source: in.Source, Change: in.Change, RevokedOn: in.RevokedOn, Note: in.Note, RecordedAt: now, RecordedBy: a.Name}
	touched := map[int64][]string{} // subject -> what was undone, for its notice
	var order []int64
	note := func(subject int64, what string) {
		if _, ok := touched[subject]; !ok {
			order = append(order, subject)
		}
		touched[subject] = append(touched[subject], what)
	}
	var shares []func(*outbox) error // what the outbox gets, once every lock is taken
	cal := workdays(ctx, tx)
	// due shortens the cascade's deadline to the clock of one step: a
	// list's entry, a scheme's record.
	due := func(dp tally.DueProcess, loc *time.Location, err error) error {
		if err != nil {
			return err
		}
		d, err := deadline(dp.Cascade, in.RevokedOn, loc, cal)
		if err != nil {
			return err
		}
		if c.Due.IsZero() || d.Before(c.Due) {
			c.Due = d
		}
		return nil
	}
	entries, err := tx.ListEntriesByCase(ctx, in.Source)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		e := &entries[i]
		if err := authorize(a, OpRevokeSource, Target{Category: e.List}); err != nil {
			return nil, err
		}
		if e.Removal != nil || !in.RevokedOn.Before(e.Ends) {
			continue // removed already, or ended by itself before the revocation
		}
		on := in.RevokedOn
		if on.Before(e.NoticeServed) {
			on = e.NoticeServed
		}
		r := &tally.ListRemoval{EntryID: e.ID, Reason: tally.Revoked, On: on, Note: revocationNote(in), RecordedAt: now, RecordedBy: a.Name}
		if err := tx.InsertRemoval(ctx, r); err != nil {
			return nil, err
		}
		shares = append(shares, func(o *outbox) error { return o.removal(ctx, tx, e, r) })
		if err := due(s.listDue(ctx, tx, e.List)); err != nil {
			return nil, err
		}
		c.EntriesRemoved = append(c.EntriesRemoved, e.ID)
		note(e.SubjectID, fmt.Sprintf("list entry #%d (%s) removed / 名单条目 #%d 已删除", e.ID, e.List, e.ID))
		if err := s.logAccess(ctx, tx, e.SubjectID, "", "cascade-remove", fmt.Sprintf("removed from %s, case %s: the decision was %s", e.List, e.CaseNumber, in.Change)); err != nil {
			return nil, err
		}
	}
	schemes, err := tx.Schemes(ctx)
	if err != nil {
		return nil, err
	}
	for _, scheme := range schemes {
		orig, rev, err := s.reverseDerived(ctx, tx, scheme, c)
		if err != nil {
			return nil, err
		}
		if rev == nil {
			continue
		}
		shares = append(shares, func(o *outbox) error { return o.reversal(ctx, tx, orig, rev) })
		if err := due(s.dueSettings(ctx, tx, scheme)); err != nil {
			return nil, err
		}
		note(rev.SubjectID, fmt.Sprintf("record #%d in %s reversed by #%d / 记录 #%d 已撤销", rev.Reverses, scheme, rev.ID, rev.Reverses))
	}
	if c.Due.IsZero() { // nothing derived is left: the catalogue's clock
		if err := due(s.listDue(ctx, tx, "")); err != nil {
			return nil, err
		}
	}
	if err := tx.InsertCascade(ctx, c); err != nil {
		return nil, err
	}
	for _, subject := range order {
		if err := tx.InsertNotice(ctx, cascadeNotice(c, subject, touched[subject])); err != nil {
			return nil, err
		}
	}
	o, err := s.outbox(ctx, tx)
	if err != nil {
		return nil, err
	}
	for _, share := range shares {
		if err := share(o); err != nil {
			return nil, err
		}
	}
	v := cascadeView(c)
	return &v, nil
}

// reverseDerived reverses the record of scheme whose ref is the cascade's
// source, if there is one that still counts, and returns it and the
// reversal.
func (s *Service) reverseDerived(ctx context.Context, tx cascadeTx, scheme string, c *tally.Cascade) (*tally.Record, *tally.Record, error) {
	orig, err := tx.RecordByRef(ctx, scheme, c.Source)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil, nil, nil
	} else if err != nil {
		return nil, nil, err
	}
	if orig.IsReversal() {
		return nil, nil, nil
	}
	if err := authorize(ActorOf(ctx), OpRevokeSource, Target{Scheme: scheme}); err != nil {
		return nil, nil, err
	}
	if _, err := tx.ReversalOf(ctx, orig.ID); err == nil {
		return nil, nil, nil // reversed already
	} else if tally.ErrorCodeOf(err) != tally.ENotFound {
		return nil, nil, err
	}
	if err := tx.LockSubject(ctx, scheme, orig.SubjectID); err != nil {
		return nil, nil, err
	}
	r := reversalOf(orig, c.RecordedBy, "source decision "+string(c.Change)+": "+c.Source, "revoked:"+c.Source, c.RecordedAt)
	if err := tx.InsertRecord(ctx, r); err != nil {
		return nil, nil, err
	}
	c.RecordsReversed = append(c.RecordsReversed, orig.ID)
	return orig, r, s.logAccess(ctx, tx, r.SubjectID, scheme, "cascade-reverse",
		fmt.Sprintf("record #%d reversed by #%d: decision %s was %s", orig.ID, r.ID, c.Source, c.Change))
}

func revocationNote(in Revocation) string {
	if in.Note == "" {
		return "decision " + string(in.Change)
	}
	return "decision " + string(in.Change) + ": " + in.Note
}

// cascadeNotice tells a subject what a cascade undid.
func cascadeNotice(c *tally.Cascade, subject int64, undone []string) *tally.Notice {
	loc := c.Due.Location()
	var b strings.Builder
	fmt.Fprintf(&b, "What / 内容: decision %s was %s on %s (%s); what it derived no longer counts against you.\n",
		c.Source, c.Change, localtime.Date(c.RevokedOn, loc), revocationNote(Revocation{Change: c.Change, Note: c.Note}))
	for _, u := range undone {
		b.WriteString("- " + u + "\n")
	}
	return &tally.Notice{SubjectID: subject, Kind: tally.NoticeCascade, About: c.ID,
		Title: fmt.Sprintf("Decision %s %s / 决定 %s 已撤销或变更", c.Source, c.Change, c.Source), Body: b.String(), CreatedAt: c.RecordedAt}
}

// Cascades lists the recorded revocations and what they reversed, by ID;
// with overdue, only those recorded after their cascade clock ran out.
func (s *Service) Cascades(ctx context.Context, overdue bool) ([]CascadeView, error) {
	if err := authorize(ActorOf(ctx), OpReadCascades, Target{}); err != nil {
		return nil, err
	}
	var out []CascadeView
	err := s.store.View(ctx, func(tx Tx) error {
		cs, err := tx.CascadeList(ctx, overdue)
		if err != nil {
			return err
		}
		out = make([]CascadeView, len(cs))
		for i := range cs {
			out[i] = cascadeView(&cs[i])
		}
		return nil
	})
	return out, err
}

// missingCases returns the case numbers of a list in effect at at that a
// snapshot did not name.
func missingCases(inEffect []string, named map[string]bool) []string {
	return slices.DeleteFunc(inEffect, func(c string) bool { return named[c] })
}
