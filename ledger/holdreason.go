package ledger

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
)

// The codes of why a record waits for a second person. A hold stores its
// reason as a code (HoldReason.String), which every reader translates
// from the message catalogue ("hold.<code>").
const (
	HoldSerious = "serious-deduction" // a deduction of serious severity
	HoldLarge   = "large-deduction"   // more points than the scheme's second_review_above
)

// HoldReason is why a record waits: a code, with the points and the
// threshold of a large deduction. A reason stored by an older version
// that it cannot read keeps its text in Other and has no Code.
type HoldReason struct {
	Code   string
	Points int64 // the deduction, negative (HoldLarge)
	Above  int64 // the threshold it exceeds (HoldLarge)
	Other  string
}

// String is the reason as a hold stores it: "serious-deduction", or
// "large-deduction -60 50".
func (h HoldReason) String() string {
	switch h.Code {
	case "":
		return h.Other
	case HoldLarge:
		return fmt.Sprintf("%s %d %d", h.Code, h.Points, h.Above)
	}
	return h.Code
}

// oldHoldTexts are the English reasons holds stored before they stored
// codes.
const (
	oldHoldSerious = "a serious deduction needs a second person's approval"
	oldHoldLarge   = "%d is more than %d points: a second person must approve it"
)

// ParseHoldReason reads a stored hold reason: a code, or the English text
// an older version stored.
func ParseHoldReason(stored string) HoldReason {
	f := strings.Fields(stored)
	switch {
	case len(f) == 1 && f[0] == HoldSerious, stored == oldHoldSerious:
		return HoldReason{Code: HoldSerious}
	case len(f) == 3 && f[0] == HoldLarge:
		points, err1 := strconv.ParseInt(f[1], 10, 64)
		above, err2 := strconv.ParseInt(f[2], 10, 64)
		if err1 == nil && err2 == nil {
			return HoldReason{Code: HoldLarge, Points: points, Above: above}
		}
	}
	var points, above int64
	if n, _ := fmt.Sscanf(stored, oldHoldLarge, &points, &above); n == 2 && fmt.Sprintf(strings.Replace(oldHoldLarge, "%d", "%+d", 1), points, above) == stored {
		return HoldReason{Code: HoldLarge, Points: points, Above: above}
	}
	return HoldReason{Other: stored}
}

// Text is the reason in both languages, from the message catalogue; a
// reason without a code reads as stored.
func (h HoldReason) Text() tally.Text {
	if h.Code == "" {
		return tally.Text{Zh: h.Other, En: h.Other}
	}
	var args []any
	if h.Code == HoldLarge {
		args = []any{h.Points, h.Above}
	}
	return message("hold."+h.Code, args...)
}

// HoldReasonText is a stored hold reason in both languages; a reason it
// does not know is shown as stored.
func HoldReasonText(stored string) tally.Text { return ParseHoldReason(stored).Text() }
