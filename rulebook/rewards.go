package rulebook

import (
	"fmt"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

// RewardBasis says what a reward is counted from.
type RewardBasis string

// The bases of a reward.
const (
	PerGained RewardBasis = "gained" // Amount for every Every points gained in the period
	PerFlag   RewardBasis = "flag"   // Amount for every Every flags on the board at the period's end
	PerStar   RewardBasis = "star"   // Amount for every Every stars (flags counted as their stars)
	PerTop    RewardBasis = "top"    // Amount to each of the Top highest closing scores (ties share a place)
)

// Reward is one line of what a period's close hands out, such as 1 kg of
// rice per 10 points gained, 50 yuan per flag, or a prize for the top 10.
// Rewards go only to subjects who are scored (consent given, adults);
// nobody's reward depends on a deduction, and none is ever negative.
type Reward struct {
	Code   string
	Item   tally.Text // rice, cash, certificate
	Unit   tally.Text // kg, yuan, piece
	Amount int64
	Per    RewardBasis
	Every  int64 // gained, flag, star: the size of one step (default 1)
	Top    int   // top: how many places
	Line   int
}

var rewardFields = []string{"code", "item", "unit", "amount", "per", "every", "top"}

// rewards reads the optional list of rewards.
func (l *loader) rewards(e entry) []Reward {
	if e.val.Kind != yaml.SequenceNode {
		l.errorf(e.key.Line, "rewards", "want a list of rewards, got %s", describe(e.val))
		return nil
	}
	var out []Reward
	seen := map[string]int{}
	for i, n := range e.val.Content {
		path := fmt.Sprintf("rewards[%d]", i)
		m, ok := l.mapping(n, path, rewardFields...)
		if !ok {
			continue
		}
		r := Reward{Line: n.Line, Every: 1}
		if ce, ok := l.need(m, "code"); ok {
			if s, ok := l.text(ce, path+".code"); ok {
				if len(s) > maxCodeLength || !codeFormat.MatchString(s) {
					l.errorf(ce.key.Line, path+".code", "%q: want lower-case letters and digits, joined by single '.', '-' or '_'", s)
				}
				if first, dup := seen[s]; dup {
					l.errorf(ce.key.Line, path+".code", "reward %q is defined twice (first at line %d)", s, first)
				}
				seen[s], r.Code = ce.key.Line, s
			}
		}
		if ie, ok := l.need(m, "item"); ok {
			r.Item, _ = l.bilingual(ie, path+".item")
		}
		if ue, ok := l.need(m, "unit"); ok {
			r.Unit, _ = l.bilingual(ue, path+".unit")
		}
		if ae, ok := l.need(m, "amount"); ok {
			if n, ok := l.integer(ae, path+".amount"); ok {
				if n <= 0 {
					l.errorf(ae.key.Line, path+".amount", "%d: want a positive integer", n)
				}
				r.Amount = n
			}
		}
		if pe, ok := l.need(m, "per"); ok {
			if s, ok := l.text(pe, path+".per"); ok {
				r.Per = RewardBasis(s)
				switch r.Per {
				case PerGained, PerFlag, PerStar, PerTop:
				default:
					l.errorf(pe.key.Line, path+".per", "%q: want gained, flag, star or top", s)
				}
			}
		}
		if ee, ok := m.get("every"); ok {
			if n, ok := l.integer(ee, path+".every"); ok {
				if n <= 0 || r.Per == PerTop {
					l.errorf(ee.key.Line, path+".every", "%d: want a positive integer, and only with per gained, flag or star", n)
				}
				r.Every = n
			}
		}
		te, hasTop := m.get("top")
		switch {
		case hasTop && r.Per != PerTop:
			l.errorf(te.key.Line, path+".top", "only with per: top")
		case hasTop:
			if n, ok := l.integer(te, path+".top"); ok {
				if n <= 0 || n > 1000 {
					l.errorf(te.key.Line, path+".top", "%d: want 1 to 1000 places", n)
				}
				r.Top = int(n)
			}
		case r.Per == PerTop:
			l.errorf(n.Line, path+".top", "missing: how many places get the reward")
		}
		out = append(out, r)
	}
	return out
}
