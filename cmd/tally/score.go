package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/ledger"
)

// scoreFlags binds the flags score and explain share.
func scoreFlags(e *env, name string, args []string) (svc *ledger.Service, exp *ledger.Explanation, done func(), err error) {
	explain := name == "explain"
	fs := e.flags(name, "ID --scheme S [--at DATE]")
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	at := fs.String("at", "", e.text("cli.flag.at_instant"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return nil, nil, nil, err
	}
	if *scheme == "" {
		return nil, nil, nil, e.fieldErrorf("scheme", "cli.name_the_scheme")
	}
	if e.remote() {
		opts := &client.Options{Purpose: e.cfg.Purpose, At: *at}
		if !explain {
			sc, err := e.client().Score(e.ctx, *scheme, pos[0], opts)
			if err != nil {
				return nil, nil, nil, err
			}
			return nil, &ledger.Explanation{Score: *sc}, func() {}, nil
		}
		x, err := e.client().Explain(e.ctx, *scheme, pos[0], opts)
		if err != nil {
			return nil, nil, nil, err
		}
		return nil, &ledger.Explanation{Score: x.Score, InEffect: entries(x.InEffect)}, func() {}, nil
	}
	svc, done, err = e.open(false)
	if err != nil {
		return nil, nil, nil, err
	}
	when, err := readTime(e, svc, *scheme, *at, true)
	switch {
	case err != nil:
	case explain:
		exp, err = svc.Explain(e.ctx, *scheme, pos[0], when)
	default: // a score is logged as a score, not as an explanation
		var sc *tally.Score
		if sc, err = svc.Score(e.ctx, *scheme, pos[0], when); err == nil {
			exp = &ledger.Explanation{Score: *sc}
		}
	}
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	return svc, exp, done, nil
}

func cmdScore(e *env, args []string) error {
	_, exp, done, err := scoreFlags(e, "score", args)
	if err != nil {
		return err
	}
	defer done()
	return e.print(exp.Score, func(w io.Writer) { printScore(w, e.msgs(), &exp.Score) })
}

func printScore(w io.Writer, m catalog.Catalogue, s *tally.Score) {
	fmt.Fprintln(w, m.Text("cli.score.head", s.Name, s.Subject, s.Scheme, moment(s.AsOf, s.AsOf.Location())))
	if !s.Scored {
		fmt.Fprintln(w, m.Text("cli.score.unscored", s.Unscored))
		return
	}
	fmt.Fprint(w, m.Text("cli.score.score", *s.Score))
	if s.Grade != nil {
		fmt.Fprint(w, m.Text("cli.score.grade", *s.Grade))
	}
	if s.Marks != nil {
		fmt.Fprint(w, m.Text("cli.score.marks", s.Marks.Flags, s.Marks.Stars))
	}
	fmt.Fprintln(w, m.Text("cli.score.base", s.Base))
	if len(s.Factors) > 0 {
		fmt.Fprintln(w, m.Text("cli.score.factors"))
		for _, f := range s.Factors {
			fmt.Fprintf(w, "  %+5d  %s\n", f.Points, m.Text("cli.score.factor", f.Title.In(lang(m)), f.Rule, f.Records))
		}
	}
	if x := s.NextExpiry; x != nil {
		fmt.Fprintln(w, m.Text("cli.score.next_expiry", day(x.At), x.Records, x.Points, x.ScoreAfter))
	}
}

func cmdExplain(e *env, args []string) error {
	_, exp, done, err := scoreFlags(e, "explain", args)
	if err != nil {
		return err
	}
	defer done()
	return e.print(exp, func(w io.Writer) {
		m := e.msgs()
		printScore(w, m, &exp.Score)
		fmt.Fprintln(w, "\n"+m.Text("cli.explain.in_effect", len(exp.InEffect)))
		printEntries(w, m, exp.InEffect)
	})
}

func printEntries(w io.Writer, m catalog.Catalogue, entries []ledger.Entry) {
	tw := newTable(w)
	fmt.Fprintln(tw, m.Text("cli.entries.head"))
	for _, en := range entries {
		until := "-"
		if !en.ExpiresAt.IsZero() {
			until = day(en.ExpiresAt)
		}
		pts := fmt.Sprintf("%+d", en.Awarded)
		if en.IsReversal() {
			pts = m.Text("cli.entries.reverses", en.Reverses)
		} else if en.Reversed {
			pts += m.Text("cli.entries.reversed")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s %s\t%s\t%s\t%s\t%s\n", en.ID, day(en.HappenedAt), en.Rule, en.Title.In(lang(m)), pts, until, dash(en.Basis.In(lang(m))),
			reasonText(m, en.Reason))
	}
	tw.Flush()
}

func cmdHistory(e *env, args []string) error {
	fs := e.flags("history", "ID --scheme S [--after N] [--limit N]")
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	after := fs.Int64("after", 0, e.text("cli.flag.after_record"))
	limit := fs.Int("limit", 100, e.text("cli.flag.limit_records", ledger.MaxPage))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	entries, err := e.history(*scheme, pos[0], *after, *limit)
	if err != nil {
		return err
	}
	out := map[string]any{"records": entries}
	if len(entries) == *limit {
		out["next"] = entries[len(entries)-1].ID
	}
	return e.print(out, func(w io.Writer) {
		printEntries(w, e.msgs(), entries)
		if next, ok := out["next"]; ok {
			fmt.Fprintln(w, e.text("cli.more", next))
		}
	})
}

// history reads a page of a subject's records, locally or from a server.
func (e *env) history(scheme, subject string, after int64, limit int) ([]ledger.Entry, error) {
	if e.remote() {
		cursor := ""
		if after > 0 {
			cursor = strconv.FormatInt(after, 10)
		}
		page, err := e.client().History(e.ctx, scheme, subject, cursor, limit, &client.Options{Purpose: e.cfg.Purpose})
		if err != nil {
			return nil, err
		}
		return entries(page.Items), nil
	}
	svc, done, err := e.open(false)
	if err != nil {
		return nil, err
	}
	defer done()
	return svc.History(e.ctx, scheme, subject, after, limit)
}
