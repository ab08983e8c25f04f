package ledger

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
)

// CommitmentInput is what Sign needs: who promises what by when, the rule
// a breach is recorded under, and the permit the commitment unlocks.
type CommitmentInput struct {
	Scheme     string
	Identifier string     // the subject
	What       tally.Text // what is promised, in both languages
	Due        string     // the day it is promised by, in the scheme's zone (2026-03-02)
	Rule       string     // a deduction of the scheme's rulebook in force
	Permit     string     // the permit or measure granted at once, as a reference
}

// Settle is what Fulfil and Breach need.
type Settle struct {
	ID    int64
	Note  string   // what the official found
	Facts []string // a breach: the rule's facts as NAME=VALUE
}

// CommitmentView is a commitment with what a reader needs beside it.
type CommitmentView struct {
	tally.Commitment
	Subject SubjectView           `json:"subject"`
	State   tally.CommitmentState `json:"state"`
	// Pending says why a breach's record waits for a second person
	// before it counts ("" when it counts at once, or no breach).
	Pending string `json:"pending,omitempty"`
}

// CommitmentQuery selects commitments for Commitments.
type CommitmentQuery struct {
	Scheme     string
	Identifier string // "" for every subject (a subject always reads its own)
	Open       bool   // neither fulfilled nor breached
	Overdue    bool   // open and past its day
	After      int64
	Limit      int
}

// commitmentWriter is the check of every write: the actor may write
// commitments under the rule (recorders: their rules; agencies: their
// rule categories) in the scheme.
func commitmentWriter(a *tally.Actor, scheme string, rule *rulebook.Rule) error {
	return authorize(a, OpWriteCommitments, Target{Scheme: scheme, Rule: rule.Code, Category: rule.Category})
}

// Sign records a signed credit commitment, granted at once: the permit it
// names is in force from now. The rule must be a deduction of the
// rulebook in force, and the day today or later.
func (s *Service) Sign(ctx context.Context, in CommitmentInput) (*CommitmentView, error) {
	a := ActorOf(ctx)
	if err := checkCommitment(in); err != nil {
		return nil, err
	}
	if err := mayTry(a, OpWriteCommitments, in.Scheme); err != nil {
		return nil, err
	}
	var out *CommitmentView
	err := s.store.Update(ctx, func(tx Tx) error {
		now := s.now()
		vs, err := s.versions(ctx, tx, in.Scheme)
		if err != nil {
			return err
		}
		v, err := inForce(vs, now)
		if err != nil {
			return err
		}
		rule, ok := v.Book.Rule(in.Rule)
		switch {
		case !ok:
			return tally.FieldErrorf("rule", "no rule %q in scheme %s version %d", in.Rule, in.Scheme, v.Version)
		case rule.Effect != rulebook.Deduction:
			return tally.FieldErrorf("rule", "rule %s is not a deduction: a breach is recorded under a deduction", rule.Code)
		}
		if err := commitmentWriter(a, in.Scheme, rule); err != nil {
			return err
		}
		loc := v.Book.Location
		due, err := localtime.ParseDate(in.Due, loc)
		if err != nil {
			return tally.FieldErrorf("due", "%v", err)
		}
		if due.Before(localtime.StartOfDay(now, loc)) {
			return tally.FieldErrorf("due", "%s is in the past: a commitment is due today or later", localtime.Date(due, loc))
		}
		subj, err := s.subject(ctx, tx, in.Identifier)
		if err != nil {
			return err
		}
		if !v.Book.Accepts(subj.Kind) {
			return tally.FieldErrorf("subject", "scheme %s does not score a %s", in.Scheme, subj.Kind)
		}
		if err := s.checkEnrolled(ctx, tx, in.Scheme, subj, nil); err != nil {
			return err
		}
		c := &tally.Commitment{Scheme: in.Scheme, SubjectID: subj.ID,
			What: tally.Text{Zh: strings.TrimSpace(in.What.Zh), En: strings.TrimSpace(in.What.En)},
			Due:  localtime.Date(due, loc), DueEnd: localtime.NextDay(due, loc), Rule: rule.Code,
			Permit: strings.TrimSpace(in.Permit), SignedAt: now, RecordedBy: a.Name}
		if err := tx.InsertCommitment(ctx, c); err != nil {
			return err
		}
		out = &CommitmentView{Commitment: *c, Subject: viewOf(subj), State: c.State(now)}
		return s.logAccess(ctx, tx, subj.ID, in.Scheme, "commitment",
			accessDetail("commitment-signed", itoa(c.ID), c.What.Zh, c.Due, c.Permit))
	})
	return out, err
}

// checkCommitment refuses a commitment with a field missing or unfit,
// naming the field, before anything is looked up.
func checkCommitment(in CommitmentInput) error {
	switch {
	case in.Scheme == "":
		return tally.FieldErrorf("scheme", "name the scheme")
	case in.Identifier == "":
		return tally.FieldErrorf("subject", "name the subject by identifier")
	case strings.TrimSpace(in.Rule) == "":
		return tally.FieldErrorf("rule", "name the rule a breach is recorded under")
	case strings.TrimSpace(in.Due) == "":
		return tally.FieldErrorf("due", "say by which day it is promised (2026-03-02)")
	}
	for _, f := range []struct{ field, text, what string }{
		{"what.zh", in.What.Zh, "say in Chinese what is promised"},
		{"what.en", in.What.En, "say in English what is promised"},
		{"permit", in.Permit, "name the permit or measure the commitment grants"},
	} {
		if strings.TrimSpace(f.text) == "" {
			return tally.FieldErrorf(f.field, "%s", f.what)
		}
		if err := tally.CheckText(f.field, f.text, tally.Limits.Title, false); err != nil {
			return err
		}
	}
	return nil
}

// Fulfil records that a commitment was kept. The official who recorded
// its signing may record this; the subject may not.
func (s *Service) Fulfil(ctx context.Context, in Settle) (*CommitmentView, error) {
	return s.settle(ctx, in, tally.Fulfilled)
}

// Breach records that a commitment was broken: in the same transaction
// it records the breach under the commitment's rule, as any record is
// (the rule's facts and cap, a second review if it needs one, the notice
// to the subject and its objection window), and links the record to the
// commitment. The official who recorded the signing, and the subject, may
// not: another official must. Nothing breaches a commitment by itself
// when its day passes; it is then listed as overdue.
func (s *Service) Breach(ctx context.Context, in Settle) (*CommitmentView, error) {
	return s.settle(ctx, in, tally.Breached)
}

func (s *Service) settle(ctx context.Context, in Settle, outcome tally.CommitmentOutcome) (*CommitmentView, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpWriteCommitments, Target{}); err != nil {
		return nil, err
	}
	if in.ID <= 0 {
		return nil, tally.FieldErrorf("id", "name the commitment by number")
	}
	if err := checkText("note", in.Note, "say what was found (the document received, or what was missing)"); err != nil {
		return nil, err
	}
	var out *CommitmentView
	err := s.store.Update(ctx, func(tx Tx) error {
		c, err := tx.Commitment(ctx, in.ID)
		if err != nil {
			return err
		}
		vs, err := s.versions(ctx, tx, c.Scheme)
		if err != nil {
			return err
		}
		if err := commitmentWriter(a, c.Scheme, ruleOf(vs, c.Rule)); err != nil {
			return err
		}
		if c.Settlement != nil {
			return tally.Errorf(tally.EConflict, "commitment #%d was already %s", c.ID, c.Settlement.Outcome)
		}
		subj, err := tx.SubjectByID(ctx, c.SubjectID)
		if err != nil {
			return err
		}
		parties := newParties(subj)
		if outcome == tally.Breached {
			parties.add(c.RecordedBy, "recorded commitment #%d", c.ID)
		}
		what := phrase("record that commitment #%d was fulfilled", c.ID)
		if outcome == tally.Breached {
			what = phrase("record that commitment #%d was breached", c.ID)
		}
		if err := s.mayDecide(ctx, tx, a, what, phrase("another official must"), parties); err != nil {
			return err
		}
		now := s.now()
		st := &tally.Settlement{CommitmentID: c.ID, Outcome: outcome, Note: strings.TrimSpace(in.Note), At: now, By: a.Name}
		out = &CommitmentView{Subject: viewOf(subj)}
		if outcome == tally.Breached {
			rec, err := s.recordBreach(ctx, tx, c, subj, in.Facts)
			if err != nil {
				return err
			}
			st.Record, out.Pending = rec.Record.ID, rec.Pending
		}
		if err := tx.InsertSettlement(ctx, st); err != nil {
			return err
		}
		c.Settlement = st
		out.Commitment, out.State = *c, c.State(now)
		return s.logAccess(ctx, tx, c.SubjectID, c.Scheme, settledAction[outcome],
			accessDetail("commitment-settled", itoa(c.ID), string(outcome), st.Note))
	})
	return out, err
}

// recordBreach records a broken commitment under its rule, by the acting
// official, now, with the commitment as its source: its ref makes the
// record of one commitment's breach unique.
func (s *Service) recordBreach(ctx context.Context, tx Tx, c *tally.Commitment, subj *tally.Subject, facts []string) (*Recorded, error) {
	id, err := s.vault.Open(subj.Sealed)
	if err != nil {
		return nil, err
	}
	rec, err := s.record(ctx, tx, Conduct{Scheme: c.Scheme, Identifier: id, Rule: c.Rule, FactArgs: facts, At: s.now(),
		Ref: fmt.Sprintf("commitment/%d", c.ID), Evidence: fmt.Sprintf("信用承诺 #%d / credit commitment #%d", c.ID, c.ID)}, false, nil)
	if err != nil {
		return nil, err
	}
	return rec, s.logAccess(underOp(ctx, OpWriteCommitments), tx, rec.Record.SubjectID, c.Scheme, "record", recordDetail("recorded", &rec.Record))
}

// ruleOf returns a rule of the latest version that has it, for checking
// an actor's assignment; a rule no version has names only its code.
func ruleOf(vs []Version, code string) *rulebook.Rule {
	for _, v := range slices.Backward(vs) {
		if r, ok := v.Book.Rule(code); ok {
			return r
		}
	}
	return &rulebook.Rule{Code: code}
}

// mayReadCommitment reports whether a may read c: a subject reads what the
// listing was filtered to, its own; an official only commitments under the
// rules of its assignment.
func (s *Service) mayReadCommitment(ctx context.Context, tx Rulebooks, a *tally.Actor, c *tally.Commitment) (bool, error) {
	if a.Role == tally.SubjectR {
		return true, nil
	}
	vs, err := s.versions(ctx, tx, c.Scheme)
	if err != nil {
		return false, err
	}
	r := ruleOf(vs, c.Rule)
	return Allowed(a, OpReadCommitments, Target{Scheme: c.Scheme, Rule: r.Code, Category: r.Category}), nil
}

// Commitments lists commitments, oldest first, each with its state now: a
// subject its own; admins, agencies and recorders those of their schemes
// and rules, a page of up to the limit however many others lie between.
// Overdue lists the open ones past their day, for an official to settle.
func (s *Service) Commitments(ctx context.Context, q CommitmentQuery) ([]CommitmentView, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReadCommitments, Target{Scheme: q.Scheme, Lookup: a.Lookup}); err != nil {
		return nil, err
	}
	now := s.now()
	f := CommitmentFilter{DueFilter: DueFilter{Open: q.Open || q.Overdue, After: q.After, Limit: q.Limit}}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	if q.Overdue {
		f.DueBy = now
	}
	switch {
	case q.Scheme != "":
		f.Schemes = []string{q.Scheme}
	case a.Role != tally.SubjectR && a.Role != tally.Admin && len(a.Schemes) > 0:
		f.Schemes = a.Schemes
	}
	var out []CommitmentView
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if f.SubjectID, err = s.askedSubject(ctx, tx, a, q.Identifier); err != nil {
			return err
		}
		out = []CommitmentView{}
		subjects := map[int64]*tally.Subject{}
		for {
			cs, err := tx.Commitments(ctx, f)
			if err != nil {
				return err
			}
			for i := range cs {
				c := &cs[i]
				ok, err := s.mayReadCommitment(ctx, tx, a, c)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				subj, ok := subjects[c.SubjectID]
				if !ok {
					if subj, err = tx.SubjectByID(ctx, c.SubjectID); err != nil {
						return err
					}
					subjects[c.SubjectID] = subj
				}
				out = append(out, CommitmentView{Commitment: *c, Subject: viewOf(subj), State: c.State(now)})
				if len(out) == f.Limit {
					return nil
				}
			}
			if len(cs) < f.Limit { // the store has no more
				return nil
			}
			f.After = cs[len(cs)-1].ID
		}
	})
	return out, err
}

// settledAction is the access-log action of each outcome.
var settledAction = map[tally.CommitmentOutcome]string{tally.Fulfilled: "commitment-fulfilled", tally.Breached: "commitment-breached"}
