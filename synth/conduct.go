package synth

import (
	"math"
	"math/rand/v2"
	"strings"

	"github.com/tallycredit/tally/rulebook"
)

// perYear is how often, on average, one subject meets each rule of the
// example rulebooks in a year. Rules not listed use awardRate or
// deductionRate.
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

// Rate is how many times a year one subject meets a rule, on average:
// good deeds are common, deductions rare.
func Rate(rule *rulebook.Rule) float64 {
	if r, ok := perYear[rule.Code]; ok {
		return r
	}
	if rule.Effect == rulebook.Deduction {
		return deductionRate
	}
	return awardRate
}

// Facts invents plausible values for the facts a rule declares: hours of
// work, sums of money in hundreds of yuan, small counts otherwise, always
// within the fact's bounds.
func Facts(rng *rand.Rand, rule *rulebook.Rule) map[string]any {
	out := map[string]any{}
	for _, f := range rule.Facts {
		v := float64(1 + rng.IntN(5))
		switch {
		case strings.Contains(f.Name, "hour"):
			v = float64(4 + rng.IntN(9))
		case strings.Contains(f.Name, "value") || strings.Contains(f.Name, "amount") || strings.Contains(f.Name, "yuan"):
			v = float64(100 * (1 + rng.IntN(30)))
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
			out[f.Name] = "synthetic"
		}
	}
	return out
}

// Poisson draws how many times an event with the given mean happens.
func Poisson(rng *rand.Rand, mean float64) int {
	n, p, limit := 0, 1.0, math.Exp(-mean)
	for {
		p *= rng.Float64()
		if p < limit {
			return n
		}
		n++
	}
}
