package ledger

import (
	"context"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// issued is what this instance shares and with whom: its name and the
// agreements in force it issues, as read while the agreements meta entry
// had stamp.
type issued struct {
	stamp      string
	name       string
	agreements []tally.Agreement
}

// covering returns the agreements that share a change of kind about what
// (a list, or scheme/rule).
func (iss *issued) covering(kind tally.ShareKind, what string) []tally.Agreement {
	if iss == nil {
		return nil
	}
	var out []tally.Agreement
	for i := range iss.agreements {
		if iss.agreements[i].Covers(kind, what) {
			out = append(out, iss.agreements[i])
		}
	}
	return out
}

// issuedAgreements returns the agreements in force this instance issues
// (nil when no agreement was ever published). It reads one meta entry,
// and the agreements themselves only when a version was published since
// the Service last read them: a change that no agreement covers costs one
// lookup.
func (s *Service) issuedAgreements(ctx context.Context, tx interface {
	Meta
	Exchange
}) (*issued, error) {
	stamp, err := tx.Meta(ctx, agreementsMeta)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if kept := s.issued.Load(); kept != nil && kept.stamp == stamp {
		return kept, nil
	}
	name, err := storedInstanceName(ctx, tx)
	if err != nil {
		return nil, err
	}
	all, err := tx.AgreementVersions(ctx)
	if err != nil {
		return nil, err
	}
	iss := &issued{stamp: stamp, name: name}
	for _, a := range latestVersions(all) {
		if a.Issuer == name {
			iss.agreements = append(iss.agreements, a)
		}
	}
	s.issued.Store(iss)
	return iss, nil
}

// outboxTx is what writing to the outbox reads and writes: the agreements,
// the subject whose identifier travels, the catalogue and rulebook
// versions a change was made under, and the lock that orders the shares.
type outboxTx interface {
	Meta
	Exchange
	Locks
	Subjects
	Catalogue
	Rulebooks
}

// outbox writes the shares of one transaction's changes, with the
// agreements read once.
type outbox struct {
	s   *Service
	iss *issued
}

// outbox returns the outbox of tx.
func (s *Service) outbox(ctx context.Context, tx outboxTx) (*outbox, error) {
	iss, err := s.issuedAgreements(ctx, tx)
	return &outbox{s: s, iss: iss}, err
}

// lockShares makes writers of shares take turns, so that each receiver's
// Seq counts up without gaps or repeats. It is the last lock a
// transaction takes, so it cannot close a cycle with the others.
func lockShares(ctx context.Context, tx Locks) error {
	return tx.LockSubject(ctx, "\x00shares", 0)
}

// add appends change c about a subject once for every agreement that
// covers it, filling in the issuer, the receiver, the agreement and the
// subject's full identifier (the agreement is the basis for passing it
// on). c carries its kind, what it is about, when, its basis and body.
func (o *outbox) add(ctx context.Context, tx outboxTx, subjectID int64, c tally.Change) error {
	what := c.List
	if !c.Kind.IsList() {
		what = c.Scheme + "/" + c.Rule
	}
	agreements := o.iss.covering(c.Kind, what)
	if len(agreements) == 0 {
		return nil
	}
	if err := lockShares(ctx, tx); err != nil {
		return err
	}
	subj, err := tx.SubjectByID(ctx, subjectID)
	if err != nil {
		return err
	}
	if c.Subject, err = o.s.vault.Open(subj.Sealed); err != nil {
		return err
	}
	if c.Name == "" {
		c.Name = subj.Name
	}
	if c.Kind.IsList() {
		if _, c.Version, err = o.s.catalogue(ctx, tx); err != nil {
			return err
		}
	}
	c.Issuer = o.iss.name
	for _, a := range agreements {
		c.Receiver, c.Agreement, c.AgreementVersion = a.Receiver, a.ID, a.Version
		if err := tx.InsertShare(ctx, &tally.Share{Receiver: a.Receiver, SubjectID: subjectID, Change: c, CreatedAt: o.s.now()}); err != nil {
			return err
		}
	}
	return nil
}

// entry shares a new list entry.
func (o *outbox) entry(ctx context.Context, tx outboxTx, e *tally.ListEntry) error {
	return o.add(ctx, tx, e.SubjectID, tally.Change{Kind: tally.ShareListing, At: e.RecordedAt, Name: e.Name, List: e.List, Basis: e.Basis,
		Entry: &tally.SharedEntry{CaseNumber: e.CaseNumber, Court: e.Court, DecidedOn: e.DecidedOn, NoticeServed: e.NoticeServed,
			Grounds: e.Grounds, Term: e.Term.String(), Aggravation: e.Aggravation, Ends: e.Ends}})
}

// removal shares the removal r of entry e.
func (o *outbox) removal(ctx context.Context, tx outboxTx, e *tally.ListEntry, r *tally.ListRemoval) error {
	return o.add(ctx, tx, e.SubjectID, tally.Change{Kind: tally.ShareRemoval, At: r.RecordedAt, Name: e.Name, List: e.List, Basis: e.Basis,
		Removal: &tally.SharedRemoval{CaseNumber: e.CaseNumber, Reason: r.Reason, On: r.On, Note: r.Note}})
}

// record shares a new record of rule (nil: looked up when shared).
func (o *outbox) record(ctx context.Context, tx outboxTx, r *tally.Record, rule *rulebook.Rule) error {
	return o.rec(ctx, tx, tally.ShareRecord, r, rule, r.RecordedAt, func() *tally.SharedRec {
		facts := make(map[string]string, len(r.Facts))
		for k, v := range r.Facts {
			facts[k] = fmt.Sprint(v)
		}
		return &tally.SharedRec{Ref: r.Ref, Happened: r.HappenedAt, Facts: facts, Evidence: r.Evidence}
	})
}

// reversal shares rev, the reversal of orig, named by orig's ref.
func (o *outbox) reversal(ctx context.Context, tx outboxTx, orig, rev *tally.Record) error {
	return o.rec(ctx, tx, tally.ShareReverse, orig, nil, rev.RecordedAt, func() *tally.SharedRec {
		return &tally.SharedRec{Ref: orig.Ref, Happened: orig.HappenedAt, Reason: rev.Reason}
	})
}

// rec shares a change about record r, unless no agreement covers its rule
// or the rule is kept in the office (publish: false), whose records never
// leave it.
func (o *outbox) rec(ctx context.Context, tx outboxTx, kind tally.ShareKind, r *tally.Record, rule *rulebook.Rule, at time.Time, body func() *tally.SharedRec) error {
	if len(o.iss.covering(kind, r.Scheme+"/"+r.Rule)) == 0 {
		return nil
	}
	if rule == nil {
		vs, err := o.s.versions(ctx, tx, r.Scheme)
		if err != nil {
			return err
		}
		if r.Version < 1 || r.Version > len(vs) {
			return tally.Errorf(tally.EInternal, "record #%d names version %d of scheme %s, which has %d", r.ID, r.Version, r.Scheme, len(vs))
		}
		var ok bool
		if rule, ok = vs[r.Version-1].Book.Rule(r.Rule); !ok {
			return tally.Errorf(tally.EInternal, "record #%d names rule %s, which version %d of scheme %s lacks", r.ID, r.Rule, r.Version, r.Scheme)
		}
	}
	if rule.Unpublished {
		return nil
	}
	return o.add(ctx, tx, r.SubjectID, tally.Change{Kind: kind, At: at, Scheme: r.Scheme, Rule: r.Rule, Basis: rule.Basis.String(),
		Version: r.Version, Record: body()})
}

// shareEntry shares a new list entry, in a transaction that shares nothing else.
func (s *Service) shareEntry(ctx context.Context, tx outboxTx, e *tally.ListEntry) error {
	o, err := s.outbox(ctx, tx)
	if err != nil {
		return err
	}
	return o.entry(ctx, tx, e)
}

// shareRemoval shares the removal r of entry e, in a transaction that
// shares nothing else.
func (s *Service) shareRemoval(ctx context.Context, tx outboxTx, e *tally.ListEntry, r *tally.ListRemoval) error {
	o, err := s.outbox(ctx, tx)
	if err != nil {
		return err
	}
	return o.removal(ctx, tx, e, r)
}

// shareReversal shares rev, the reversal of orig, in a transaction that
// shares nothing else.
func (s *Service) shareReversal(ctx context.Context, tx outboxTx, orig, rev *tally.Record) error {
	o, err := s.outbox(ctx, tx)
	if err != nil {
		return err
	}
	return o.reversal(ctx, tx, orig, rev)
}
