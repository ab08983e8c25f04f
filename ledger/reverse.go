package ledger

import (
	"context"
	"strings"

	"github.com/tallycredit/tally"
)

// Reversal is the input of Reverse.
type Reversal struct {
	Scheme string
	Record int64  // the record to reverse, by ID; or
	Of     string // the record to reverse, by its Ref
	Reason string
	Ref    string // the reversal's own source reference
}

// Reverse corrects a record by appending a reversal that points at it:
// from then on neither counts, at any instant, and the history shows both.
// A record can be reversed once; a reversal cannot be reversed (record the
// conduct again instead). The same Ref and content again returns the first
// reversal.
func (s *Service) Reverse(ctx context.Context, in Reversal) (*Recorded, error) {
	switch {
	case in.Scheme == "":
		return nil, tally.FieldErrorf("scheme", "name the scheme")
	case in.Record == 0 && in.Of == "":
		return nil, tally.FieldErrorf("record", "name the record to reverse, by number or by its ref")
	case strings.TrimSpace(in.Reason) == "":
		return nil, tally.FieldErrorf("reason", "a reversal needs a reason")
	case strings.TrimSpace(in.Ref) == "":
		return nil, tally.FieldErrorf("ref", "give the reversal its own source reference")
	}
	if err := tally.CheckText("reason", in.Reason, tally.Limits.Reason, true); err != nil {
		return nil, err
	}
	if err := tally.CheckText("ref", in.Ref, tally.Limits.Ref, false); err != nil {
		return nil, err
	}
	a := ActorOf(ctx)
	if err := mayTry(a, OpReverse, in.Scheme); err != nil {
		return nil, err
	}
	var out *Recorded
	err := s.store.Update(ctx, func(tx Tx) error {
		orig, err := s.findRecord(ctx, tx, in)
		if err != nil {
			return err
		}
		vs, err := s.versions(ctx, tx, orig.Scheme)
		if err != nil {
			return err
		}
		if err := mayReverse(a, orig, s.now(), vs[len(vs)-1].Book.Location); err != nil {
			return err
		}
		if err := tx.LockSubject(ctx, in.Scheme, orig.SubjectID); err != nil {
			return err
		}
		subj, err := tx.SubjectByID(ctx, orig.SubjectID)
		if err != nil {
			return err
		}
		if err := s.mayDecide(ctx, tx, a, phrase("reverse #%d", orig.ID), phrase("a reviewer who is not its subject must"), newParties(subj)); err != nil {
			return err
		}
		now := s.now()
		r := *reversalOf(orig, a.Name, in.Reason, in.Ref, now)
		out = &Recorded{Subject: viewOf(subj)}
		if orig.Version >= 1 && orig.Version <= len(vs) {
			out.Rule, _ = vs[orig.Version-1].Book.Rule(orig.Rule)
		}
		if prev, err := tx.RecordByRef(ctx, in.Scheme, in.Ref); err == nil {
			if prev.Reverses != orig.ID || prev.Reason != in.Reason || prev.RecordedBy != a.Name {
				return tally.Errorf(tally.EConflict, "ref %q was already used in scheme %s for a different record (#%d)", in.Ref, in.Scheme, prev.ID)
			}
			out.Record, out.Replayed = *prev, true
			return nil
		} else if tally.ErrorCodeOf(err) != tally.ENotFound {
			return err
		}
		if prev, err := tx.ReversalOf(ctx, orig.ID); err == nil {
			return tally.Errorf(tally.EConflict, "record #%d was already reversed by #%d", orig.ID, prev.ID)
		} else if tally.ErrorCodeOf(err) != tally.ENotFound {
			return err
		}
		if err := tx.InsertRecord(ctx, &r); err != nil {
			return err
		}
		out.Record = r
		if err := s.logAccess(ctx, tx, r.SubjectID, r.Scheme, "reverse", accessDetail("reversed", itoa(orig.ID), itoa(r.ID), in.Reason)); err != nil {
			return err
		}
		return s.shareReversal(ctx, tx, orig, &r)
	})
	return out, err
}

func (s *Service) findRecord(ctx context.Context, tx RecordReads, in Reversal) (*tally.Record, error) {
	var orig *tally.Record
	var err error
	if in.Record != 0 {
		orig, err = tx.RecordByID(ctx, in.Record)
	} else {
		orig, err = tx.RecordByRef(ctx, in.Scheme, in.Of)
	}
	if err != nil {
		return nil, err
	}
	if orig.Scheme != in.Scheme {
		return nil, tally.Errorf(tally.ENotFound, "record #%d is not in scheme %s", orig.ID, in.Scheme)
	}
	if orig.IsReversal() {
		return nil, tally.Errorf(tally.EInvalid, "record #%d is itself a reversal and cannot be reversed: record the conduct again", orig.ID)
	}
	return orig, nil
}
