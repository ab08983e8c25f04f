package rulebook_test

import (
	"os"
	"testing"
	_ "time/tzdata"

	"github.com/tallycredit/tally/rulebook"
)

func TestTry(t *testing.T) {
	for _, f := range []string{"village.yaml", "city.yaml", "market.yaml"} {
		src, _ := os.ReadFile("../examples/" + f)
		b, rep := rulebook.Load("village.yaml", src)
		for _, p := range rep {
			t.Log(p)
		}
		if b == nil {
			t.Fatal("nil")
		}
		if f != "village.yaml" {
			continue
		}
		r, _ := b.Rule("labour.volunteer")
		t.Log(r.Evaluate(map[string]any{"hours": 8.0}))
		r, _ = b.Rule("donation")
		t.Log(r.Evaluate(map[string]any{"value": 3000}))
	}
}
