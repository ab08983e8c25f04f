package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// cmdProposals lists proposed listings (notice before listing), files a
// subject's statement and decides them.
func cmdProposals(e *env, args []string) error {
	return dispatch(e, "proposals", args,
		subcommand{"list", proposalsList},
		subcommand{"state", proposalsState},
		subcommand{"decide", proposalsDecide})
}

func proposalsList(e *env, args []string) error {
	fs := e.flags("proposals list", "[--list L] [--subject ID] [--open] [--after N] [--limit N]")
	var q ledger.ProposalQuery
	fs.StringVar(&q.List, "list", "", e.text("cli.flag.proposal_list"))
	fs.StringVar(&q.Identifier, "subject", "", e.text("cli.flag.only_subject"))
	fs.BoolVar(&q.Open, "open", false, e.text("cli.flag.proposal_open"))
	fs.Int64Var(&q.After, "after", 0, e.text("cli.flag.after_proposal"))
	fs.IntVar(&q.Limit, "limit", 100, e.text("cli.flag.limit_proposals"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	ps, err := svc.Proposals(e.ctx, q)
	if err != nil {
		return err
	}
	return e.print(ps, func(w io.Writer) {
		if len(ps) == 0 {
			fmt.Fprintln(w, e.text("cli.proposals.none"))
		}
		loc := zoneOf(e, svc, "")
		for i := range ps {
			printProposal(w, e.msgs(), &ps[i], loc)
		}
	})
}

func proposalsState(e *env, args []string) error {
	fs := e.flags("proposals state", "ID --text TEXT")
	var text string
	fs.StringVar(&text, "text", "", e.text("cli.flag.statement_text"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	id, err := proposalID(e, pos[0])
	if err != nil {
		return err
	}
	return proposalDo(e, func(svc *ledger.Service) (*ledger.ProposalView, error) { return svc.StateCase(e.ctx, id, text) })
}

func proposalsDecide(e *env, args []string) error {
	fs := e.flags("proposals decide", "ID (--list | --drop) --reasons TEXT")
	var in ledger.ProposalDecisionInput
	var drop bool
	fs.BoolVar(&in.List, "list", false, e.text("cli.flag.proposal_list_it"))
	fs.BoolVar(&drop, "drop", false, e.text("cli.flag.proposal_drop"))
	fs.StringVar(&in.Reasons, "reasons", "", e.text("cli.flag.proposal_reasons"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if in.List == drop {
		return &tally.Error{Code: tally.EInvalid, Field: "list", Message: e.text("cli.proposals.list_or_drop")}
	}
	if in.ID, err = proposalID(e, pos[0]); err != nil {
		return err
	}
	return proposalDo(e, func(svc *ledger.Service) (*ledger.ProposalView, error) { return svc.DecideProposal(e.ctx, in) })
}

// proposalDo runs one write on a proposal and prints the proposal.
func proposalDo(e *env, do func(*ledger.Service) (*ledger.ProposalView, error)) error {
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	p, err := do(svc)
	if err != nil {
		return err
	}
	return e.print(p, func(w io.Writer) { printProposal(w, e.msgs(), p, zoneOf(e, svc, "")) })
}

func proposalID(e *env, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, &tally.Error{Code: tally.EInvalid, Field: "ID", Message: e.text("cli.proposals.bad_id", s)}
	}
	return id, nil
}

// printProposal writes a proposal in the operator's language m, with its
// days in the catalogue's zone loc.
func printProposal(w io.Writer, m catalog.Catalogue, p *ledger.ProposalView, loc *time.Location) {
	fmt.Fprintln(w, m.Text("cli.proposals.line", p.ID, p.List, m.TextOr("proposal."+string(p.State), string(p.State)),
		p.Subject, p.Name, p.CaseNumber, p.Court, p.StateByDay, p.ProposedBy, localtime.Date(p.ProposedAt, loc)))
	if st := p.Statement; st != nil {
		fmt.Fprintln(w, m.Text("cli.proposals.statement", st.By, localtime.Date(st.At, loc), st.Text))
	}
	if d := p.Decision; d != nil {
		outcome := m.Text("proposal.dropped")
		if d.Listed {
			outcome = m.Text("proposal.listed")
		}
		fmt.Fprint(w, m.Text("cli.proposals.decision", outcome, localtime.Date(d.At, loc), d.By, d.Reasons))
		if d.Entry != 0 {
			fmt.Fprint(w, m.Text("cli.proposals.entry", d.Entry))
		}
		fmt.Fprintln(w)
	}
}
