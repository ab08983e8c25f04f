package ledger

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
)

// The codes of why a record gives the points it does. A record the
// ledger scores stores its reason as a code (RecordReason.String), which
// every reader translates from the message catalogue ("reason.<code>");
// a reversal's reason is what a person typed, kept as typed.
const (
	ReasonAsRule       = "as-rule"        // the points the rule gives, no cap
	ReasonAsRuleCapped = "as-rule-capped" // the points the rule gives, within its cap
	ReasonCapped       = "capped"         // fewer points than the rule gives: the cap is reached
)

// RecordReason is why a record gives its points: a code, with the points
// the rule gives and, under a cap, the total in the cap's window, the cap
// and its calendar unit. A reason it cannot read (typed by a person, or
// stored by a later version) keeps its text in Other and has no Code.
type RecordReason struct {
	Code   string
	Points int64  // what the rule gives
	Total  int64  // the rule's total in the cap's window, this record included
	Cap    int64  // the cap's points
	Per    string // the cap's window: day, month or year
	Other  string
}

// String is the reason as a record stores it: "as-rule +2",
// "as-rule-capped +2 4 10 month", "capped -30 40 40 year".
func (r RecordReason) String() string {
	switch r.Code {
	case "":
		return r.Other
	case ReasonAsRule:
		return fmt.Sprintf("%s %+d", r.Code, r.Points)
	}
	return fmt.Sprintf("%s %+d %d %d %s", r.Code, r.Points, r.Total, r.Cap, r.Per)
}

// oldReasons are the English reasons records stored before they stored
// codes; their groups are the reason's numbers and the cap's unit.
var (
	oldAsRule       = regexp.MustCompile(`^([+-]\d+) as the rule gives$`)
	oldAsRuleCapped = regexp.MustCompile(`^([+-]\d+) as the rule gives; (\d+) of (\d+) this (day|month|year)$`)
	oldCapped       = regexp.MustCompile(`^capped: (\d+) of (\d+) this (day|month|year) \(the rule gives ([+-]\d+)\)$`)
)

// ParseRecordReason reads a stored record reason: a code, the English
// text an older version stored, or text a person typed.
func ParseRecordReason(stored string) RecordReason {
	f := strings.Fields(stored)
	n := func(s string) (int64, bool) {
		v, err := strconv.ParseInt(s, 10, 64)
		return v, err == nil
	}
	switch {
	case len(f) == 2 && f[0] == ReasonAsRule:
		if p, ok := n(f[1]); ok {
			return RecordReason{Code: ReasonAsRule, Points: p}
		}
	case len(f) == 5 && (f[0] == ReasonAsRuleCapped || f[0] == ReasonCapped) && isPer(f[4]):
		p, ok1 := n(f[1])
		total, ok2 := n(f[2])
		c, ok3 := n(f[3])
		if ok1 && ok2 && ok3 {
			return RecordReason{Code: f[0], Points: p, Total: total, Cap: c, Per: f[4]}
		}
	}
	if m := oldAsRule.FindStringSubmatch(stored); m != nil {
		p, _ := n(m[1])
		return RecordReason{Code: ReasonAsRule, Points: p}
	}
	if m := oldAsRuleCapped.FindStringSubmatch(stored); m != nil {
		p, _ := n(m[1])
		total, _ := n(m[2])
		c, _ := n(m[3])
		return RecordReason{Code: ReasonAsRuleCapped, Points: p, Total: total, Cap: c, Per: m[4]}
	}
	if m := oldCapped.FindStringSubmatch(stored); m != nil {
		total, _ := n(m[1])
		c, _ := n(m[2])
		p, _ := n(m[4])
		return RecordReason{Code: ReasonCapped, Points: p, Total: total, Cap: c, Per: m[3]}
	}
	return RecordReason{Other: stored}
}

func isPer(s string) bool { return s == "day" || s == "month" || s == "year" }

// Text is the reason in both languages, from the message catalogue; a
// reason without a code reads as stored.
func (r RecordReason) Text() tally.Text {
	if r.Code == "" {
		return tally.Text{Zh: r.Other, En: r.Other}
	}
	points := fmt.Sprintf("%+d", r.Points)
	if r.Code == ReasonAsRule {
		return message("reason."+r.Code, points)
	}
	return inBoth(func(m catalog.Catalogue, _ string) string {
		per := m.TextOr("reason.per."+r.Per, r.Per)
		total, limit := strconv.FormatInt(r.Total, 10), strconv.FormatInt(r.Cap, 10)
		if r.Code == ReasonAsRuleCapped {
			return m.Text("reason."+r.Code, points, total, limit, per)
		}
		return m.Text("reason."+r.Code, total, limit, per, points)
	})
}

// RecordReasonText is a stored record reason in both languages; a reason
// it does not know, such as a reversal's, is shown as stored.
func RecordReasonText(stored string) tally.Text { return ParseRecordReason(stored).Text() }
