package ledger

import (
	"testing"

	"github.com/tallycredit/tally"
)

// At the top band there is nothing to climb to; in a band that catches
// every lower score there is nothing to drop to; below every band of a
// scheme without such a band, the lowest is the next up.
func TestBandsAroundTheTopAndTheBottom(t *testing.T) {
	bands := []tally.GradeBand{{Grade: "A", Min: 90, HasMin: true}, {Grade: "B", Min: 60, HasMin: true}, {Grade: "C"}}
	if up, down := bandsAround(bands, 95); up != nil || down == nil || down.Grade != "B" || down.Points != 6 {
		t.Errorf("at 95: up %+v down %+v, want none up, B after 6", up, down)
	}
	if up, down := bandsAround(bands, 10); up == nil || up.Grade != "B" || up.Points != 50 || down != nil {
		t.Errorf("at 10: up %+v down %+v, want 50 to B, none down", up, down)
	}
	open := bands[:2]
	if up, down := bandsAround(open, 10); up == nil || up.Grade != "B" || up.Points != 50 || down != nil {
		t.Errorf("below every band: up %+v down %+v, want 50 to B, none down", up, down)
	}
	if up, down := bandsAround(nil, 10); up != nil || down != nil {
		t.Errorf("no bands: up %+v down %+v, want none", up, down)
	}
}
