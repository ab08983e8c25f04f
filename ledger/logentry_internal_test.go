package ledger

import (
	"encoding/json"
	"math"
	"testing"
)

// storedFacts gives the facts as the store gives them back, whether
// they take the short way (plain values) or the long one (values JSON
// reads back as others: integers, lists, maps).
func TestStoredFactsAreTheStoresFacts(t *testing.T) {
	for _, facts := range []map[string]any{
		{"hours": 2.5, "place": "村委会 <east> & \"west\"", "paid": true, "note": nil},
		{"big": 1e21, "small": 1e-7, "third": 1.0 / 3, "max": math.MaxFloat64, "neg": -0.0},
		{"invalid": "a\xffb", "ctl": "\u2028\t"},
		{"count": 3, "huge": int64(1) << 60, "unsigned": uint8(7)},
		{"list": []any{1, "a"}, "map": map[string]any{"z": 1, "a": int32(2)}},
		{},
	} {
		got, err := storedFacts(facts)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(facts)
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(back)
		if string(got) != string(want) {
			t.Errorf("storedFacts(%v) = %s, the store gives back %s", facts, got, want)
		}
	}
}
