package httpapi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tallycredit/tally/wire"
)

// The answers of a batch are written byte for byte as json.Marshal writes them.
func TestEncodeBatchAnswersAsEncodingJSON(t *testing.T) {
	at := time.Date(2026, 11, 26, 12, 0, 0, 123456789, time.FixedZone("CST", 8*3600))
	for _, a := range []wire.BatchAnswers{
		{Measure: "air-travel", AsOf: at, Items: []wire.BatchAnswer{
			{Answer: "allowed", Ref: "a1b2c3-1z.0"},
			{Answer: "denied", Ref: "a1b2c3-1z.1", Disputed: true},
			{Answer: "invalid", Ref: "a1b2c3-1z.2", Error: `subject: not a valid identifier: "<12&3>" \ 张三` + "\t\u2028"},
			{Answer: "name_mismatch", Ref: "a1b2c3-1z.3"},
		}},
		{Measure: "bus-ticket", AsOf: at.UTC(), Items: []wire.BatchAnswer{}},
		{Measure: `odd "measure" <b>`, Items: nil},
	} {
		want, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := encodeBatchAnswers(a)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("encoded\n%s\nwant\n%s", got, want)
		}
	}
}
