package ledger

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
)

// Notice before listing (陈述申辩). A list whose catalogue entry sets a
// statement period takes no entry at once: List makes a proposal and tells
// the subject the reasons, the basis, its rights and the last day to state
// its case. A proposal restricts nothing (the check index and eligibility
// read entries only). Someone who did not propose it decides once the
// period has ended or the subject has stated its case: to list, which makes
// the entry through the same path as List, or to drop it, with reasons.

// ProposalView is a proposal as an official or its subject sees it.
type ProposalView struct {
	tally.Proposal
	ListName   tally.Text          `json:"list_name"`
	Subject    string              `json:"subject"`      // masked
	StateByDay string              `json:"state_by_day"` // the last day to state one's case, in the catalogue's zone
	State      tally.ProposalState `json:"state"`
	Entry      *EntryView          `json:"entry,omitempty"` // the entry a decision to list made
}

// ProposalDecisionInput is what DecideProposal needs: which proposal, list
// it or not, and why.
type ProposalDecisionInput struct {
	ID      int64
	List    bool // true: make the entry; false: drop the proposal
	Reasons string
}

// ProposalQuery selects proposals for Proposals.
type ProposalQuery struct {
	List       string // "" for every list
	Identifier string // "" for every subject (a subject always reads its own)
	Open       bool   // only the undecided
	After      int64
	Limit      int
}

// filing is what one listing made: an entry, or on a list with a statement
// period a proposal (of the subject masked), and whether it existed
// already.
type filing struct {
	entry    *tally.ListEntry
	proposal *tally.Proposal
	masked   string
	existed  bool
}

// file writes one listing in tx. On a list with a statement period it is
// a proposal; the same case again returns the proposal, or the entry once
// the proposal was listed. A case entered before the list had a period is
// an entry, as on any other list.
func (s *Service) file(ctx context.Context, tx listTx, cat *rulebook.Catalogue, in Listing) (filing, error) {
	l, ok := cat.List(strings.TrimSpace(in.List))
	if !ok || l.Statement.Days == 0 {
		e, existed, err := s.list(ctx, tx, cat, in)
		return filing{entry: e, existed: existed}, err
	}
	caseNumber := strings.TrimSpace(in.CaseNumber)
	e, err := tx.ListEntryByCase(ctx, l.ID, caseNumber)
	switch {
	case err == nil:
		if _, err := tx.ProposalByCase(ctx, l.ID, caseNumber); tally.ErrorCodeOf(err) == tally.ENotFound {
			e, existed, err := s.list(ctx, tx, cat, in)
			return filing{entry: e, existed: existed}, err
		} else if err != nil {
			return filing{}, err
		}
	case tally.ErrorCodeOf(err) != tally.ENotFound:
		return filing{}, err
	}
	p, subj, existed, err := s.propose(ctx, tx, cat, in)
	if err != nil {
		return filing{}, err
	}
	if existed && e != nil {
		return filing{entry: e, existed: true}, nil
	}
	return filing{proposal: p, masked: subj.Masked, existed: existed}, nil
}

// filedView shows what a listing made.
func (s *Service) filedView(f filing, cat *rulebook.Catalogue) EntryView {
	if f.proposal == nil {
		v := s.entryView(f.entry, cat)
		v.Existed = f.existed
		return v
	}
	p := s.proposalView(f.proposal, f.masked, cat)
	v := EntryView{List: p.List, Subject: f.masked, ListName: p.ListName, Name: p.Name, CaseNumber: p.CaseNumber, Court: p.Court,
		DecidedOn: p.DecidedOn, Grounds: p.Grounds, Basis: p.Basis, Aggravation: p.Aggravation, Status: tally.EntryProposed,
		RecordedBy: p.ProposedBy, Existed: f.existed, Proposal: &p}
	if l, ok := cat.List(p.List); ok {
		v.Term, v.HowToLift = l.Term.String(), l.Removal
	}
	return v
}

// propose writes a proposal in tx, with its notice: the notice is tally's
// and is served now, so a listing on such a list needs no notice date.
// The same case again with the same content returns the stored proposal;
// with other content it is a conflict.
func (s *Service) propose(ctx context.Context, tx listTx, cat *rulebook.Catalogue, in Listing) (*tally.Proposal, *tally.Subject, bool, error) {
	now := s.now()
	if in.NoticeServed.IsZero() {
		in.NoticeServed = now
	}
	l, err := s.checkListing(cat, &in)
	if err != nil {
		return nil, nil, false, err
	}
	subj, err := s.listedSubject(ctx, tx, in)
	if err != nil {
		return nil, nil, false, err
	}
	if err := mayBeListed(subj, in); err != nil {
		return nil, nil, false, err
	}
	stateBy, err := deadline(l.Statement, now, cat.Location, workdays(ctx, tx))
	if err != nil {
		return nil, nil, false, err
	}
	p := &tally.Proposal{List: l.ID, SubjectID: subj.ID, Name: in.Name, CaseNumber: in.CaseNumber, Court: in.Court,
		DecidedOn: in.DecidedOn, Grounds: in.Grounds, Basis: in.Basis, Aggravation: in.Aggravation, StateBy: stateBy,
		ProposedAt: now, ProposedBy: ActorOf(ctx).Name}
	old, err := tx.ProposalByCase(ctx, l.ID, in.CaseNumber)
	switch {
	case err == nil:
		if old.SubjectID != p.SubjectID || old.Name != p.Name || old.Court != p.Court || !old.DecidedOn.Equal(p.DecidedOn) ||
			old.Grounds != p.Grounds || old.Basis != p.Basis || old.Aggravation != p.Aggravation {
			return nil, nil, false, &tally.Error{Code: tally.EConflict, Field: "case_number", Message: fmt.Sprintf("list %s already has a proposal for case %s with other content: a proposal is never edited; a new case is a new proposal", l.ID, in.CaseNumber)}
		}
		return old, subj, true, nil
	case tally.ErrorCodeOf(err) != tally.ENotFound:
		return nil, nil, false, err
	}
	if err := tx.InsertProposal(ctx, p); err != nil {
		return nil, nil, false, err
	}
	if err := tx.InsertNotice(ctx, proposalNotice(p, l, cat.Location, now)); err != nil {
		return nil, nil, false, err
	}
	return p, subj, false, s.logAccess(ctx, tx, subj.ID, "", "propose", accessDetail("proposed",
		l.ID, p.CaseNumber, p.Court, localtime.Date(p.StateBy, cat.Location)))
}

// mayBeListed refuses a person who was a minor on the day of the decision.
func mayBeListed(subj *tally.Subject, in Listing) error {
	if subj.Kind == tally.Person && in.DecidedOn.Before(subj.AdultOn) {
		return tally.FieldErrorf("subject", "%s was a minor on %s (adult on %s): minors cannot be listed", subj.Masked, day(in.DecidedOn), day(subj.AdultOn))
	}
	return nil
}

// StateCase files the subject's statement (陈述申辩) on a proposal: once,
// by the end of the period's last day. The subject states its own case;
// an admin may enter one given on paper.
func (s *Service) StateCase(ctx context.Context, id int64, text string) (*ProposalView, error) {
	a := ActorOf(ctx)
	if err := mayTry(a, OpStateCase, ""); err != nil {
		return nil, err
	}
	if err := checkText("text", text, "say what you state against the proposal"); err != nil {
		return nil, err
	}
	var out *ProposalView
	err := s.store.Update(ctx, func(tx Tx) error {
		p, subj, cat, err := s.proposalCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := authorize(a, OpStateCase, Target{Category: p.List, Lookup: subj.Lookup}); err != nil {
			return err
		}
		now := s.now()
		switch {
		case p.Decision != nil:
			return tally.Errorf(tally.EConflict, "proposal #%d was already decided", p.ID)
		case p.Statement != nil:
			return tally.Errorf(tally.EConflict, "proposal #%d already has a statement, filed on %s", p.ID, localtime.Date(p.Statement.At, cat.Location))
		case now.After(p.StateBy):
			return tally.Errorf(tally.EConflict, "the period to state one's case on proposal #%d ended on %s", p.ID, localtime.Date(p.StateBy, cat.Location))
		}
		p.Statement = &tally.Statement{ProposalID: p.ID, Text: strings.TrimSpace(text), At: now, By: a.Name}
		if err := tx.InsertStatement(ctx, p.Statement); err != nil {
			return err
		}
		v := s.proposalView(p, subj.Masked, cat)
		out = &v
		return s.logAccess(ctx, tx, subj.ID, "", "statement", accessDetail("stated", itoa(p.ID), p.List, p.CaseNumber))
	})
	return out, err
}

// DecideProposal decides a proposal: to list makes the entry, in force
// from now, through the path List takes, in the same transaction; to drop
// it notifies the subject. Reasons are required. Until the statement
// period has ended the decision is refused unless the subject has stated
// its case; the proposer and the subject may not decide.
func (s *Service) DecideProposal(ctx context.Context, in ProposalDecisionInput) (*ProposalView, error) {
	a := ActorOf(ctx)
	if err := mayTry(a, OpDecideProposal, ""); err != nil {
		return nil, err
	}
	if err := checkText("reasons", in.Reasons, "give the reasons of the decision, answering the statement if there is one"); err != nil {
		return nil, err
	}
	var out *ProposalView
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := lockLists(ctx, tx); err != nil {
			return err
		}
		p, subj, cat, err := s.proposalCase(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		if err := authorize(a, OpDecideProposal, Target{Category: p.List}); err != nil {
			return err
		}
		now := s.now()
		switch {
		case p.Decision != nil:
			return tally.Errorf(tally.EConflict, "proposal #%d was already decided", p.ID)
		case p.Statement == nil && !now.After(p.StateBy):
			return tally.Errorf(tally.EConflict, "the subject may state its case on proposal #%d until %s: decide after that day, or once it has stated its case",
				p.ID, localtime.Date(p.StateBy, cat.Location))
		}
		parties := newParties(subj)
		parties.add(p.ProposedBy, "proposed #%d", p.ID)
		if err := s.mayDecide(ctx, tx, a, phrase("decide proposal #%d", p.ID), phrase("another reviewer must"), parties); err != nil {
			return err
		}
		d := &tally.ProposalDecision{ProposalID: p.ID, Listed: in.List, Reasons: strings.TrimSpace(in.Reasons), At: now, By: a.Name}
		var entry *tally.ListEntry
		if in.List {
			if entry, err = s.enterProposal(ctx, tx, cat, p, subj, now); err != nil {
				return err
			}
			d.Entry = entry.ID
		}
		if err := tx.InsertProposalDecision(ctx, d); err != nil {
			return err
		}
		p.Decision = d
		v := s.proposalView(p, subj.Masked, cat)
		if entry != nil {
			ev := s.entryView(entry, cat)
			v.Entry = &ev
			out = &v
			return nil
		}
		out = &v
		if err := tx.InsertNotice(ctx, droppedNotice(p, cat.Location, now)); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, subj.ID, "", "proposal-dropped", accessDetail("proposal-dropped", itoa(p.ID), p.List, p.CaseNumber, d.Reasons))
	})
	if err != nil {
		return nil, err
	}
	if in.List {
		s.listsChanged(ctx)
	}
	return out, nil
}

// enterProposal makes a proposal's entry, in force from now, by the
// deciding official: the listing is checked again against the catalogue in
// force.
func (s *Service) enterProposal(ctx context.Context, tx Tx, cat *rulebook.Catalogue, p *tally.Proposal, subj *tally.Subject, now time.Time) (*tally.ListEntry, error) {
	in := Listing{List: p.List, Name: p.Name, CaseNumber: p.CaseNumber, Court: p.Court, DecidedOn: p.DecidedOn,
		NoticeServed: now, Grounds: p.Grounds, Basis: p.Basis, Aggravation: p.Aggravation}
	l, err := s.checkListing(cat, &in)
	if err != nil {
		return nil, err
	}
	e, _, err := s.enter(ctx, tx, cat, l, subj, in)
	return e, err
}

// proposalCase reads a proposal, its subject and the catalogue in force.
func (s *Service) proposalCase(ctx context.Context, tx Tx, id int64) (*tally.Proposal, *tally.Subject, *rulebook.Catalogue, error) {
	if id <= 0 {
		return nil, nil, nil, tally.FieldErrorf("id", "name the proposal by number")
	}
	p, err := tx.Proposal(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	subj, err := tx.SubjectByID(ctx, p.SubjectID)
	if err != nil {
		return nil, nil, nil, err
	}
	cat, _, err := s.catalogue(ctx, tx)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, subj, cat, nil
}

func (s *Service) proposalView(p *tally.Proposal, masked string, cat *rulebook.Catalogue) ProposalView {
	v := ProposalView{Proposal: *p, Subject: masked, StateByDay: localtime.Date(p.StateBy, cat.Location), State: p.State(s.now())}
	if l, ok := cat.List(p.List); ok {
		v.ListName = l.Name
	}
	return v
}

// Proposals lists proposals, oldest first, each with its state now: a
// subject its own; admins, agencies and reviewers those of their lists.
func (s *Service) Proposals(ctx context.Context, q ProposalQuery) ([]ProposalView, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReadProposals, Target{Category: q.List, Lookup: a.Lookup}); err != nil {
		return nil, err
	}
	f := DueFilter{Open: q.Open, After: q.After, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	switch {
	case q.List != "":
		f.Schemes = []string{q.List}
	case a.Role == tally.Agency && len(a.Categories) > 0:
		f.Schemes = a.Categories
	}
	var out []ProposalView
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		f.SubjectID, err = s.askedSubject(ctx, tx, a, q.Identifier)
		if a.Role == tally.SubjectR && tally.ErrorCodeOf(err) == tally.ENotFound {
			out = []ProposalView{}
			return nil
		}
		if err != nil {
			return err
		}
		cat, _, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		ps, err := tx.Proposals(ctx, f)
		if err != nil {
			return err
		}
		out = make([]ProposalView, 0, len(ps))
		masked := map[int64]string{}
		for i := range ps {
			m, ok := masked[ps[i].SubjectID]
			if !ok {
				subj, err := tx.SubjectByID(ctx, ps[i].SubjectID)
				if err != nil {
					return err
				}
				m, masked[ps[i].SubjectID] = subj.Masked, subj.Masked
			}
			out = append(out, s.proposalView(&ps[i], m, cat))
		}
		return nil
	})
	return out, err
}

// proposalNotice writes the notice before listing: what is proposed, why
// and on what basis, the subject's rights and the last day to use them,
// in the catalogue's zone loc.
func proposalNotice(p *tally.Proposal, l *tally.List, loc *time.Location, now time.Time) *tally.Notice {
	var b noticeText
	b.line("notice.proposal.what", l.Name, p.CaseNumber, p.Court, p.ID)
	b.line("notice.proposal.why", p.Grounds, p.Basis, l.Basis)
	b.line("notice.proposal.effect", tally.Text{Zh: l.Term.Zh(), En: l.Term.String()})
	b.line("notice.proposal.rights", localtime.Date(p.StateBy, loc), clockText(l.Statement), p.ID)
	return &tally.Notice{SubjectID: p.SubjectID, Kind: tally.NoticeProposal, About: p.ID,
		Title: noticeTitle("notice.proposal.title", p.ID, p.List, p.CaseNumber),
		Body:  b.body(), ObjectBy: p.StateBy, CreatedAt: now}
}

// droppedNotice tells the subject a proposal was dropped, and why.
func droppedNotice(p *tally.Proposal, loc *time.Location, now time.Time) *tally.Notice {
	var b noticeText
	b.line("notice.proposal.dropped", p.ID, p.List, p.CaseNumber, localtime.Date(now, loc))
	b.line("notice.proposal.dropped_why", p.Decision.Reasons)
	return &tally.Notice{SubjectID: p.SubjectID, Kind: tally.NoticeProposal, About: p.ID,
		Title: noticeTitle("notice.proposal.dropped_title", p.ID), Body: b.body(), CreatedAt: now}
}
