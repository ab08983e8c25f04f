package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
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
	person
	scored bool
}

// enrol adds n subjects to a scheme: about 5% of persons refuse consent
// and about 6% are minors, so the demo shows both kinds of unscored subject.
func (p *populator) enrol(ctx context.Context, scheme string, n int, units []string, kind tally.SubjectKind) ([]member, error) {
	out := make([]member, 0, n)
	nowYear := p.opts.Now.Year()
	for i := 0; i < n; i++ {
		p.opts.Progress("subjects "+scheme, i, n)
		var who person
		for {
			p.seq++
			if kind == tally.Organisation {
				who = newShop(p.rng, p.seq)
			} else if p.rng.IntN(100) < 6 {
				who = newPerson(p.rng, p.seq, nowYear-17, nowYear-8)
			} else {
				who = newPerson(p.rng, p.seq, nowYear-85, nowYear-19)
			}
			if !p.seen[who.id] {
				p.seen[who.id] = true
				break
			}
		}
		if _, err := p.svc.AddSubject(ctx, ledger.NewSubject{Kind: kind, Identifier: who.id, Name: who.name}); err != nil {
			return nil, fmt.Errorf("add demo subject: %w", err)
		}
		consent := kind == tally.Organisation || p.rng.IntN(100) >= 5
		if _, err := p.svc.Enrol(ctx, ledger.Enrolment{Scheme: scheme, Identifier: who.id, Unit: units[p.rng.IntN(len(units))],
			Consent: consent, How: "demo consent form"}); err != nil {
			return nil, fmt.Errorf("enrol demo subject: %w", err)
		}
		out = append(out, member{person: who, scored: consent})
	}
	for _, m := range out {
		if m.scored && isAdult(m.id, p.opts.Now) {
			p.example = Example{Identifier: m.id, Name: m.name}
			break
		}
	}
	return out, nil
}

func isAdult(id string, now time.Time) bool {
	r, err := tally.ParseResidentID(id)
	return err != nil || !now.Before(r.AdultOn()) // organisations do not parse: always "adult"
}

// perYear is how often, on average, one subject meets each rule in a year.
// Rules not listed use awardRate or deductionRate.
var perYear = map[string]float64{
	// village
	"labour.volunteer": 5, "donation": 0.4, "family.military": 0.05,
	"conduct.littering": 0.3, "family.neglect-elderly": 0.03,
	// city
	"volunteering.hours": 3, "health.blood-donation": 0.6, "public-good.heroic-act": 0.01,
	// market: inspections twice a year, a price check every month
	"scales.inspection-passed": 2, "prices.tags-posted": 10,
}

const (
	awardRate     = 1.2
	deductionRate = 0.12
)

// conduct invents a year of conduct for the members under the rules of book.
func (p *populator) conduct(book *rulebook.Book, members []member) []ledger.Conduct {
	var out []ledger.Conduct
	start := p.opts.Now.AddDate(-1, 0, 0)
	if start.Before(book.Effective) {
		start = book.Effective
	}
	span := p.opts.Now.Sub(start)
	for _, rule := range book.Rules {
		rate, ok := perYear[rule.Code]
		if !ok {
			rate = awardRate
			if rule.Effect == rulebook.Deduction {
				rate = deductionRate
			}
		}
		for _, m := range members {
			for n := poisson(p.rng, rate); n > 0; n-- {
				at := start.Add(time.Duration(p.rng.Int64N(int64(span)))).Truncate(time.Minute)
				c := ledger.Conduct{
					Scheme: book.Scheme, Identifier: m.id, Rule: rule.Code, At: at,
					Ref:   fmt.Sprintf("demo/%s/%06d", book.Scheme, len(out)+1),
					Facts: p.facts(rule),
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

// facts invents plausible values for the facts a rule declares: hours
// of work, sums of money in hundreds of yuan, small counts otherwise.
func (p *populator) facts(rule *rulebook.Rule) map[string]any {
	out := map[string]any{}
	for _, f := range rule.Facts {
		v := float64(1 + p.rng.IntN(5))
		switch {
		case strings.Contains(f.Name, "hour"):
			v = float64(4 + p.rng.IntN(9))
		case strings.Contains(f.Name, "value") || strings.Contains(f.Name, "amount") || strings.Contains(f.Name, "yuan"):
			v = float64(100 * (1 + p.rng.IntN(30)))
		}
		if f.Min != nil {
			v = math.Max(v, *f.Min)
		}
		if f.Max != nil {
			v = math.Min(v, *f.Max)
		}
		switch f.Type {
		case rulebook.Number:
			out[f.Name] = v
		case rulebook.Integer:
			out[f.Name] = int64(v)
		case rulebook.Bool:
			out[f.Name] = true
		default:
			out[f.Name] = "demo"
		}
	}
	return out
}

// poisson draws how many times an event with the given mean happens.
func poisson(rng *rand.Rand, mean float64) int {
	n, p, limit := 0, 1.0, math.Exp(-mean)
	for {
		p *= rng.Float64()
		if p < limit {
			return n
		}
		n++
	}
}
