package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
	"github.com/tallycredit/tally/synth"
)

// populator adds synthetic subjects and invents their conduct.
type populator struct {
	svc     *ledger.Service
	rng     *rand.Rand
	opts    Options
	seen    map[string]bool // identifiers handed out, so none repeats
	seq     int
	example Example // the last scheme's subject to try
}

// member is an enrolled subject the demo may record conduct for.
type member struct {
	synth.Identity
	scored bool
}

// enrol adds n subjects to a scheme: about 5% of persons refuse consent
// and about 6% are minors, so the demo shows both kinds of unscored subject.
func (p *populator) enrol(ctx context.Context, scheme string, n int, units []string, kind tally.SubjectKind) ([]member, error) {
	out := make([]member, 0, n)
	for i := 0; i < n; i++ {
		p.opts.Progress("subjects "+scheme, i, n)
		who := p.identity(kind, kind == tally.Person && p.rng.IntN(100) < 6)
		if _, err := p.svc.AddSubject(ctx, ledger.NewSubject{Kind: kind, Identifier: who.ID, Name: who.Name}); err != nil {
			return nil, fmt.Errorf("add demo subject: %w", err)
		}
		consent := kind == tally.Organisation || p.rng.IntN(100) >= 5
		if _, err := p.svc.Enrol(ctx, ledger.Enrolment{Scheme: scheme, Identifier: who.ID, Unit: units[p.rng.IntN(len(units))],
			Consent: consent, How: "演示用同意书"}); err != nil {
			return nil, fmt.Errorf("enrol demo subject: %w", err)
		}
		out = append(out, member{Identity: who, scored: consent})
	}
	for _, m := range out {
		if m.scored && isAdult(m.ID, p.opts.Now) {
			p.example = Example{Identifier: m.ID, Name: m.Name}
			break
		}
	}
	return out, nil
}

// identity invents a subject no one else in the demo has: a shop, a minor
// or an adult.
func (p *populator) identity(kind tally.SubjectKind, minor bool) synth.Identity {
	nowYear := p.opts.Now.Year()
	for {
		p.seq++
		var who synth.Identity
		switch {
		case kind == tally.Organisation:
			who = synth.Shop(p.rng, p.seq)
		case minor:
			who = synth.Person(p.rng, p.seq, nowYear-17, nowYear-8)
		default:
			who = synth.Person(p.rng, p.seq, nowYear-85, nowYear-19)
		}
		if !p.seen[who.ID] {
			p.seen[who.ID] = true
			return who
		}
	}
}

func isAdult(id string, now time.Time) bool {
	r, err := tally.ParseResidentID(id)
	return err != nil || !now.Before(r.AdultOn()) // organisations do not parse: always "adult"
}

// conduct invents a year of conduct for the members under the rules of book.
func (p *populator) conduct(book *rulebook.Book, members []member) []ledger.Conduct {
	var out []ledger.Conduct
	start := p.opts.Now.AddDate(-1, 0, 0)
	if start.Before(book.Effective) {
		start = book.Effective
	}
	span := p.opts.Now.Sub(start)
	for _, rule := range book.Rules {
		rate := synth.Rate(rule)
		for _, m := range members {
			for n := synth.Poisson(p.rng, rate); n > 0; n-- {
				at := start.Add(time.Duration(p.rng.Int64N(int64(span)))).Truncate(time.Minute)
				c := ledger.Conduct{
					Scheme: book.Scheme, Identifier: m.ID, Rule: rule.Code, At: at,
					Ref:   fmt.Sprintf("demo/%s/%06d", book.Scheme, len(out)+1),
					Facts: synth.Facts(p.rng, rule),
				}
				if rule.EvidenceRequired || rule.Effect == rulebook.Deduction {
					c.Evidence = fmt.Sprintf("demo decision %s-%04d", strings.ToUpper(book.Scheme[:2]), p.rng.IntN(10000))
				}
				out = append(out, c)
			}
		}
	}
	return out
}
