package httpapi

import (
	"reflect"
	"testing"

	"github.com/tallycredit/tally/wire"
)

// plainBatches are bodies of the plain shape: the scanner reads them.
var plainBatches = []string{
	`{"measure":"air-travel","purpose":"tickets","items":[{"subject":"360426199101010071","name":"张三"},{"name":"李四","subject":"34052419800101001x"}]}`,
	" {\n \"items\" : [ ] , \"measure\" : \"air-travel\" }\n",
	`{"items":[{}, {"subject":""}]}`,
	`{}`,
}

// otherBatches are bodies the scanner leaves to encoding/json: escapes,
// other types, unknown or repeated keys, keys in other cases, trailing
// data, invalid UTF-8, broken syntax.
var otherBatches = []string{
	`{"measure":"air\u002dtravel","items":[]}`,
	`{"measure":"air-travel","items":[{"subject":360426199101010071,"name":"张三"}]}`,
	`{"measure":"air-travel","items":[{"subject":"360426199101010071","name":"张三","age":3}]}`,
	`{"measure":"air-travel","measure":"bus-ticket"}`,
	`{"Measure":"air-travel"}`,
	`{"items":null}`,
	`{"items":[null]}`,
	`{"measure":"air-travel"} {}`,
	"{\"measure\":\"\xff\"}",
	`{"measure":"air-travel",}`,
	`{"items":[{"subject":"1"},]}`,
	`[]`,
	``,
	`{"measure":"air-travel"`,
}

func TestScanBatchReadsWhatEncodingJSONReads(t *testing.T) {
	for _, body := range plainBatches {
		got, ok := scanBatch([]byte(body))
		if !ok {
			t.Errorf("%s: not read by the scanner", body)
			continue
		}
		var want wire.BatchRequest
		if err := decodeBytes([]byte(body), &want); err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: scanned %+v, want %+v", body, got, want)
		}
	}
	for _, body := range otherBatches {
		if got, ok := scanBatch([]byte(body)); ok {
			t.Errorf("%s: scanned as %+v, want it left to encoding/json", body, got)
		}
	}
}

// FuzzScanBatch: whatever the scanner reads, encoding/json reads the same
// way without an error.
func FuzzScanBatch(f *testing.F) {
	for _, body := range append(plainBatches, otherBatches...) {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		got, ok := scanBatch(body)
		if !ok {
			return
		}
		var want wire.BatchRequest
		if err := decodeBytes(body, &want); err != nil {
			t.Fatalf("%q: scanned, but encoding/json says %v", body, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: scanned %+v, encoding/json %+v", body, got, want)
		}
	})
}
