// Package demo builds a ready-to-explore database: the three example
// schemes (a village's good-deeds points, a city's credit score, a
// market's shop stars), a synthetic population with valid identifiers,
// a year of records, and one of each thing the pages show (a closed month
// with its board and rewards, a villager a clerk added with their
// consents, a court listing and a denied check, a notice, an open and a
// decided objection, an appeal, a repair approved and one waiting, credit
// commitments, one overdue). Its instance is the court of the exchange's
// story, which shares its list with an airline's verifier (BuildAirline).
// The same seed gives the same people and records.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
)

// The defaults of Options.
const (
	DefaultVillagers = 300
	DefaultResidents = 2000
	DefaultShops     = 40
	DefaultSeed      = 2026
)

// Options sizes the demo. Zero fields take the defaults.
type Options struct {
	Villagers, Residents, Shops int
	Seed                        uint64
	Now                         time.Time // the end of the year of records; default time.Now
	// Progress, if set, is told what the demo is doing.
	Progress func(stage string, done, total int)
	// Clock, if set, is the clock of the ledger service: the showcase
	// turns it back for a moment to sign a commitment that is overdue now
	// (without it, that one is left out). tally demo sets it.
	Clock *Clock
}

func (o *Options) defaults() {
	if o.Villagers == 0 {
		o.Villagers = DefaultVillagers
	}
	if o.Residents == 0 {
		o.Residents = DefaultResidents
	}
	if o.Shops == 0 {
		o.Shops = DefaultShops
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if o.Progress == nil {
		o.Progress = func(string, int, int) {}
	}
}

// Summary tells what the demo built.
type Summary struct {
	Schemes []ledger.Distribution `json:"schemes"`
	// Try holds one enrolled, consenting adult (or shop) per scheme, by
	// scheme id, to show in the next commands.
	Try map[string]Example `json:"try"`
	// Accounts are the web sign-ins, one per role with pages.
	Accounts []Account `json:"accounts"`
	// Tour is where each part of the demo is seen.
	Tour []Stop `json:"tour"`
	// Exchange is the court-to-airline story: the airline refuses whom
	// the demo's court lists.
	Exchange Story `json:"exchange"`
}

// Example is a subject to try commands with; the identifier is synthetic.
type Example struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

// schemeFile names the example rulebook of each demo scheme.
var schemeFile = map[string]string{
	"jiakuang-majia": "village.yaml",
	"rongcheng-city": "city.yaml",
	"market-stars":   "market.yaml",
}

// Build publishes the example rulebooks into svc's database and fills it.
func Build(ctx context.Context, svc *ledger.Service, opts Options) (*Summary, error) {
	opts.defaults()
	ctx = ledger.WithActor(ctx, &tally.Actor{Name: "demo", Role: tally.Admin})
	rng := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x7a11))
	books := map[string]*rulebook.Book{}
	for _, scheme := range []string{village, "rongcheng-city", "market-stars"} {
		src, err := examples.Rulebooks.ReadFile(schemeFile[scheme])
		if err != nil {
			return nil, err
		}
		pub, err := svc.Publish(ctx, "examples/"+schemeFile[scheme], src)
		if err != nil {
			return nil, fmt.Errorf("publish %s: %w", schemeFile[scheme], err)
		}
		books[scheme] = pub.Book
	}
	sum := &Summary{Try: map[string]Example{}}
	p := &populator{svc: svc, rng: rng, opts: opts, seen: map[string]bool{}}
	groups := []struct {
		scheme string
		n      int
		units  []string
		kind   tally.SubjectKind
	}{
		{"jiakuang-majia", opts.Villagers, []string{"一组", "二组", "三组", "四组", "五组"}, tally.Person},
		{"rongcheng-city", opts.Residents, []string{"宁津街道", "港湾街道", "斥山街道", "崖头街道", "城西街道"}, tally.Person},
		{"market-stars", opts.Shops, []string{"蔬菜区", "水产区", "肉禽区", "粮油区"}, tally.Organisation},
	}
	var conducts []ledger.Conduct
	var villagers []member
	for _, g := range groups {
		members, err := p.enrol(ctx, g.scheme, g.n, g.units, g.kind)
		if err != nil {
			return nil, err
		}
		sum.Try[g.scheme] = p.example
		if g.scheme == village {
			villagers = members
			members = without(members, p.example.Identifier) // the showcase writes the resident's year
		}
		conducts = append(conducts, p.conduct(books[g.scheme], members)...)
	}
	sort.SliceStable(conducts, func(i, j int) bool { return conducts[i].At.Before(conducts[j].At) })
	rep, err := svc.RecordAll(ctx, conducts, ledger.ImportOptions{Progress: func(r ledger.ImportReport) {
		opts.Progress("records", r.Rows, len(conducts))
	}})
	if err != nil {
		return nil, err
	}
	if len(rep.Bad) > 0 {
		return nil, fmt.Errorf("demo record at row %d was refused: %s", rep.Bad[0].Line, rep.Bad[0].Message)
	}
	if err := addAccounts(ctx, svc, sum); err != nil {
		return nil, err
	}
	if _, err := svc.PublishCatalogue(ctx, "sanctions.yml", examples.Sanctions); err != nil {
		return nil, err
	}
	if err := joinExchange(ctx, svc); err != nil {
		return nil, err
	}
	sum.Exchange = Story{Listed: sum.Try[village], List: defaultersList, Case: CaseNumber, Measure: AirlineMeasure}
	sc := &showcase{svc: svc, clock: opts.Clock, people: p, admin: ctx, now: opts.Now, resident: sum.Try[village], market: books["market-stars"].Name, sum: sum}
	if err := sc.run(villagers, rng); err != nil {
		return nil, err
	}
	for _, g := range groups {
		d, err := svc.Distribution(ctx, g.scheme, opts.Now)
		if err != nil {
			return nil, err
		}
		sum.Schemes = append(sum.Schemes, *d)
	}
	return sum, nil
}

// without returns members but the one with identifier id.
func without(members []member, id string) []member {
	out := make([]member, 0, len(members))
	for _, m := range members {
		if m.ID != id {
			out = append(out, m)
		}
	}
	return out
}
