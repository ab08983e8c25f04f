package ledger

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/tallycredit/tally"
)

// receivedBy is how an entry or record received from issuer names who
// recorded it.
func receivedBy(issuer string) string { return issuer + " (exchange)" }

// Receive applies, in one transaction, a change another instance shared
// with this one, in the issuer's order. The change must fall within an
// agreement in force here whose issuer sent it and whose receiver this
// instance is; otherwise it is refused (EForbidden) and nothing changes.
// A change whose Seq was applied already is a duplicate: Receive returns
// false and changes nothing. A change that comes before the one due next
// (Seq above the last applied + 1) is EUnavailable: it must wait for the
// earlier one, never overtake it. A change refused for good (outside
// the agreements, or by this instance's rules) uses up its Seq, so that
// the issuer's next change is not held for it; the refusal is the
// caller's to keep (RejectMessage). A list entry or removal is taken as
// the issuer decided it (the issuer served its notice); a record goes
// through this instance's own rules, caps and notices, keyed by the
// issuer's ref. The subject's access log says what was received from
// whom, under which agreement. Receive returns false as well for a change
// that was here already with the same content.
func (s *Service) Receive(ctx context.Context, c tally.Change) (bool, error) {
	got, err := s.receiveAll(ctx, []tally.Change{c})
	if err != nil {
		return false, err
	}
	return got[0].applied, got[0].err
}

// ReceiveAll applies changes as Receive does, in their order, in one
// transaction, each undone alone when it is refused: what a receiver does
// with a batch of the stream, at the cost of one commit. For each change
// it returns nil (applied, or a duplicate), EUnavailable (it waits for an
// earlier one) or why it was refused for good; its own error is the store
// failing, and then nothing changed.
func (s *Service) ReceiveAll(ctx context.Context, cs []tally.Change) ([]error, error) {
	got, err := s.receiveAll(ctx, cs)
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(got))
	for i, r := range got {
		errs[i] = r.err
	}
	return errs, nil
}

// received is what became of one change.
type received struct {
	applied bool  // false: a duplicate, or the same content was here
	err     error // refused (its Seq used up), or EUnavailable: it waits for an earlier one
}

func (s *Service) receiveAll(ctx context.Context, cs []tally.Change) ([]received, error) {
	if err := authorize(ActorOf(ctx), OpExchange, Target{}); err != nil {
		return nil, err
	}
	out := make([]received, len(cs))
	var lists bool
	err := s.store.Update(ctx, func(tx Tx) error {
		clear(out)
		lists = false
		in, err := s.inbox(ctx, tx)
		if err != nil {
			return err
		}
		for i := range cs {
			c := &cs[i]
			if err := tx.Savepoint(ctx, "receive"); err != nil {
				return err
			}
			applied, err := s.receiveOne(ctx, tx, in, c)
			switch code := tally.ErrorCodeOf(err); {
			case err == nil:
				out[i].applied = applied
				lists = lists || (applied && c.Kind.IsList())
			case code == tally.EUnavailable:
				out[i].err = err
			case code == tally.EInternal:
				return err
			default: // refused for good: undone, and its number used up
				out[i].err = err
				if err := tx.RollbackTo(ctx, "receive"); err != nil {
					return err
				}
				if err := s.useUp(ctx, tx, in.name, c); err != nil {
					return err
				}
			}
			if err := tx.Release(ctx, "receive"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if lists {
		s.listsChanged(ctx)
	}
	return out, nil
}

// inboxState is what receiving reads once per transaction: this
// instance's name and the agreements in force.
type inboxState struct {
	name       string
	agreements map[string]tally.Agreement
}

func (s *Service) inbox(ctx context.Context, tx Tx) (*inboxState, error) {
	name, err := storedInstanceName(ctx, tx)
	if err != nil {
		return nil, err
	}
	all, err := tx.AgreementVersions(ctx)
	if err != nil {
		return nil, err
	}
	return &inboxState{name: name, agreements: agreementsInForce(all)}, nil
}

// receiveOne applies change c in tx, in its issuer's turn.
func (s *Service) receiveOne(ctx context.Context, tx Tx, in *inboxState, c *tally.Change) (bool, error) {
	last, err := s.lastReceived(ctx, tx, c.Issuer)
	switch {
	case err != nil || (c.Seq <= last && c.Seq > 0):
		return false, err
	case c.Seq > last+1:
		return false, tally.Errorf(tally.EUnavailable, "change %d from %s came before change %d: it waits for it", c.Seq, c.Issuer, last+1)
	}
	if err := admit(in, c); err != nil {
		return false, err
	}
	applied, err := s.apply(ctx, tx, c)
	if err != nil {
		return false, err
	}
	return applied, tx.SetReceivedSeq(ctx, c.Issuer, c.Seq)
}

// lastReceived takes the turn of the issuer's changes and returns the Seq
// of the last one applied.
func (s *Service) lastReceived(ctx context.Context, tx Tx, issuer string) (int64, error) {
	if err := tx.LockSubject(ctx, "\x00received:"+issuer, 0); err != nil {
		return 0, err
	}
	return tx.ReceivedSeq(ctx, issuer)
}

// useUp records a change refused for good as passed, when it is the one
// due next and addressed to this instance: its issuer's later changes
// then go on.
func (s *Service) useUp(ctx context.Context, tx Tx, name string, c *tally.Change) error {
	if c.Receiver != name {
		return nil
	}
	last, err := s.lastReceived(ctx, tx, c.Issuer)
	if err != nil || c.Seq != last+1 {
		return err
	}
	return tx.SetReceivedSeq(ctx, c.Issuer, c.Seq)
}

// admit checks that an agreement in force here lets change c in.
func admit(in *inboxState, c *tally.Change) error {
	name := in.name
	if c.Receiver != name {
		return tally.Errorf(tally.EForbidden, "outside every agreement: the change is addressed to %s; this instance is %s", c.Receiver, name)
	}
	a, ok := in.agreements[c.Agreement]
	switch {
	case !ok:
		return tally.Errorf(tally.EForbidden, "outside every agreement: no agreement %s is in force here", c.Agreement)
	case a.Issuer != c.Issuer:
		return tally.Errorf(tally.EForbidden, "outside every agreement: agreement %s is with issuer %s, not %s", a.ID, a.Issuer, c.Issuer)
	case a.Receiver != name:
		return tally.Errorf(tally.EForbidden, "outside every agreement: agreement %s shares with %s, not with this instance (%s)", a.ID, a.Receiver, name)
	case !slices.Contains(tally.ShareKinds, c.Kind):
		return tally.Errorf(tally.EInvalid, "a change of unknown kind %q", c.Kind)
	case !a.Covers(c.Kind, changeAbout(c)):
		return tally.Errorf(tally.EForbidden, "outside every agreement: agreement %s does not share %s of %s", a.ID, c.Kind, changeAbout(c))
	case c.Seq <= 0:
		return tally.Errorf(tally.EInvalid, "change %d from %s: a change's number starts at 1", c.Seq, c.Issuer)
	}
	return nil
}

// apply makes change c here and says whether it changed anything.
func (s *Service) apply(ctx context.Context, tx Tx, c *tally.Change) (bool, error) {
	var (
		subjectID int64
		err       error
	)
	switch c.Kind {
	case tally.ShareListing:
		subjectID, err = s.receiveEntry(ctx, tx, c)
	case tally.ShareRemoval:
		subjectID, err = s.receiveRemoval(ctx, tx, c)
	case tally.ShareRecord:
		subjectID, err = s.receiveRecord(ctx, tx, c)
	case tally.ShareReverse:
		subjectID, err = s.receiveReversal(ctx, tx, c)
	}
	if err != nil || subjectID == 0 {
		return false, err
	}
	return true, s.logAccess(ctx, tx, subjectID, c.Scheme, "receive",
		accessDetail("received", c.Issuer, string(c.Kind), changeAbout(c), changeCase(c), c.Agreement))
}

// receiveEntry enters a shared listing as the issuer decided it, with no
// proposal and no notice: the issuer served it. It returns the subject,
// or 0 when the entry was here already.
func (s *Service) receiveEntry(ctx context.Context, tx Tx, c *tally.Change) (int64, error) {
	if c.Entry == nil {
		return 0, tally.Errorf(tally.EInvalid, "a shared listing without its entry")
	}
	if err := lockLists(ctx, tx); err != nil {
		return 0, err
	}
	cat, _, err := s.catalogue(ctx, tx)
	if err != nil {
		return 0, err
	}
	l, ok := cat.List(c.List)
	if !ok {
		return 0, tally.FieldErrorf("list", "list %s is not in this instance's sanctions catalogue", c.List)
	}
	term, err := tally.ParseSpan(c.Entry.Term)
	if err != nil {
		return 0, tally.FieldErrorf("term", "%v", err)
	}
	in := Listing{List: l.ID, Identifier: c.Subject, Name: c.Name, CaseNumber: c.Entry.CaseNumber, Court: c.Entry.Court,
		DecidedOn: c.Entry.DecidedOn, NoticeServed: c.Entry.NoticeServed, Grounds: c.Entry.Grounds, Basis: c.Basis, Aggravation: c.Entry.Aggravation}
	switch {
	case in.CaseNumber == "":
		return 0, tally.FieldErrorf("case_number", "a listing needs the case number of its decision")
	case in.NoticeServed.IsZero() || !c.Entry.Ends.After(in.NoticeServed):
		return 0, tally.FieldErrorf("notice", "a shared listing needs the day its notice was served, before the day it ends")
	}
	if err := checkListingText(&in); err != nil {
		return 0, err
	}
	subj, err := s.listedSubject(ctx, tx, in)
	if err != nil {
		return 0, err
	}
	if err := mayBeListed(subj, in); err != nil {
		return 0, err
	}
	e := &tally.ListEntry{List: l.ID, SubjectID: subj.ID, Lookup: subj.Lookup, Name: in.Name, Masked: subj.Masked,
		CaseNumber: in.CaseNumber, Court: in.Court, DecidedOn: in.DecidedOn, NoticeServed: in.NoticeServed,
		Grounds: in.Grounds, Basis: in.Basis, Term: term, Aggravation: in.Aggravation, Ends: c.Entry.Ends,
		RecordedAt: s.now(), RecordedBy: receivedBy(c.Issuer)}
	if old, err := putEntry(ctx, tx, e); err != nil || old != nil {
		return 0, err
	}
	return subj.ID, s.shareEntry(ctx, tx, e)
}

// receiveRemoval ends the entry of the shared removal's list and case. It
// returns the subject, or 0 when the entry was removed so already.
func (s *Service) receiveRemoval(ctx context.Context, tx Tx, c *tally.Change) (int64, error) {
	if c.Removal == nil {
		return 0, tally.Errorf(tally.EInvalid, "a shared removal without its removal")
	}
	if _, err := tally.ParseRemovalReason(string(c.Removal.Reason)); err != nil {
		return 0, tally.FieldErrorf("reason", "%v", err)
	}
	if err := lockLists(ctx, tx); err != nil {
		return 0, err
	}
	e, err := tx.ListEntryByCase(ctx, c.List, c.Removal.CaseNumber)
	if err != nil {
		return 0, err
	}
	subj, err := s.subject(ctx, tx, c.Subject)
	if err != nil {
		return 0, err
	}
	if subj.ID != e.SubjectID {
		return 0, tally.Errorf(tally.EInvalid, "case %s of list %s is another subject's here", e.CaseNumber, e.List)
	}
	if r := e.Removal; r != nil {
		if r.Reason == c.Removal.Reason && r.On.Equal(c.Removal.On) {
			return 0, nil
		}
		return 0, tally.Errorf(tally.EConflict, "case %s was already removed from %s on %s (%s)", e.CaseNumber, e.List, day(r.On), r.Reason)
	}
	e.Removal = &tally.ListRemoval{EntryID: e.ID, Reason: c.Removal.Reason, On: c.Removal.On, Note: c.Removal.Note,
		RecordedAt: s.now(), RecordedBy: receivedBy(c.Issuer)}
	if err := tx.InsertRemoval(ctx, e.Removal); err != nil {
		return 0, err
	}
	return e.SubjectID, s.shareRemoval(ctx, tx, e, e.Removal)
}

// receiveRecord records a shared record through this instance's own
// rulebook: its rule, cap, evidence rule, holds and notice, with the
// issuer's ref as the idempotency key. It returns the subject, or 0 when
// the record was here already.
func (s *Service) receiveRecord(ctx context.Context, tx Tx, c *tally.Change) (int64, error) {
	if c.Record == nil {
		return 0, tally.Errorf(tally.EInvalid, "a shared record without its record")
	}
	facts := make([]string, 0, len(c.Record.Facts))
	for k, v := range c.Record.Facts {
		facts = append(facts, k+"="+v)
	}
	sort.Strings(facts)
	out, err := s.record(ctx, tx, Conduct{Scheme: c.Scheme, Identifier: c.Subject, Rule: c.Rule, FactArgs: facts,
		At: c.Record.Happened, Ref: c.Record.Ref, Evidence: c.Record.Evidence, By: receivedBy(c.Issuer)}, false, nil)
	if err != nil || out.Replayed {
		return 0, err
	}
	return out.Record.SubjectID, nil
}

// receiveReversal reverses the record received from the same issuer with
// the shared ref. It returns the subject, or 0 when the record was
// reversed already.
func (s *Service) receiveReversal(ctx context.Context, tx Tx, c *tally.Change) (int64, error) {
	if c.Record == nil {
		return 0, tally.Errorf(tally.EInvalid, "a shared reversal without the record it reverses")
	}
	orig, err := tx.RecordByRef(ctx, c.Scheme, c.Record.Ref)
	if err != nil {
		return 0, err
	}
	subj, err := s.subject(ctx, tx, c.Subject)
	if err != nil {
		return 0, err
	}
	switch {
	case orig.RecordedBy != receivedBy(c.Issuer) || orig.IsReversal():
		return 0, tally.Errorf(tally.EForbidden, "record %q of scheme %s was not received from %s: it reverses only what it sent", c.Record.Ref, c.Scheme, c.Issuer)
	case orig.SubjectID != subj.ID || orig.Rule != c.Rule:
		return 0, tally.Errorf(tally.EInvalid, "record %q of scheme %s is of another subject or rule here", c.Record.Ref, c.Scheme)
	}
	if _, err := tx.ReversalOf(ctx, orig.ID); err == nil {
		return 0, nil
	} else if tally.ErrorCodeOf(err) != tally.ENotFound {
		return 0, err
	}
	if err := tx.LockSubject(ctx, c.Scheme, orig.SubjectID); err != nil {
		return 0, err
	}
	rev := reversalOf(orig, receivedBy(c.Issuer), c.Record.Reason, fmt.Sprintf("exchange/%s/%d", c.Issuer, c.Seq), s.now())
	if err := tx.InsertRecord(ctx, rev); err != nil {
		return 0, err
	}
	return orig.SubjectID, s.shareReversal(ctx, tx, orig, rev)
}
