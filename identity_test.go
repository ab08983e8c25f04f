package tally_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
)

type identifierExamples struct {
	ResidentID struct {
		Valid   []string `json:"valid"`
		Invalid []struct{ Value, Why string }
	} `json:"resident_id"`
	USCC struct {
		Valid   []string `json:"valid"`
		Invalid []struct{ Value, Why string }
	} `json:"uscc"`
}

// mustExamples reads testdata/identifiers.json, a copy of the project's
// public example identifiers.
func mustExamples(tb testing.TB) identifierExamples {
	tb.Helper()
	data, err := os.ReadFile("testdata/identifiers.json")
	if err != nil {
		tb.Fatal(err)
	}
	var ex identifierExamples
	if err := json.Unmarshal(data, &ex); err != nil {
		tb.Fatal(err)
	}
	return ex
}

func TestParseResidentID(t *testing.T) {
	ex := mustExamples(t)
	for _, s := range ex.ResidentID.Valid {
		if _, err := tally.ParseResidentID(s); err != nil {
			t.Errorf("ParseResidentID(%q) = %v, want valid", s, err)
		}
	}
	for _, c := range ex.ResidentID.Invalid {
		if _, err := tally.ParseResidentID(c.Value); err == nil {
			t.Errorf("ParseResidentID(%q) accepted it, want an error (%s)", c.Value, c.Why)
		}
	}
}

func TestParseResidentIDReasons(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"340524198001010013", "check character is 3, want X"},
		{"34052419800101001", "18 characters, has 17"},
		{"34052419800230001X", "not a real date"},
		{"3405241980013200X1", "must be digits"},
	} {
		_, err := tally.ParseResidentID(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseResidentID(%q) = %v, want an error containing %q", tc.in, err, tc.want)
		}
	}
}

func TestResidentIDFacts(t *testing.T) {
	id, err := tally.ParseResidentID("11010519491231002x")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := id.Born.Format("2006-01-02"), "1949-12-31"; got != want {
		t.Errorf("Born = %s, want %s", got, want)
	}
	if !id.Female {
		t.Errorf("sequence 002 is even, want Female")
	}
	if got, want := id.AdultOn().Format("2006-01-02"), "1967-12-31"; got != want {
		t.Errorf("AdultOn = %s, want %s", got, want)
	}
	if id.Number != "11010519491231002X" {
		t.Errorf("Number = %s, want upper-case X", id.Number)
	}
}

func TestParseUSCC(t *testing.T) {
	ex := mustExamples(t)
	for _, s := range ex.USCC.Valid {
		if _, err := tally.ParseUSCC(s); err != nil {
			t.Errorf("ParseUSCC(%q) = %v, want valid", s, err)
		}
	}
	for _, c := range ex.USCC.Invalid {
		if _, err := tally.ParseUSCC(c.Value); err == nil {
			t.Errorf("ParseUSCC(%q) accepted it, want an error (%s)", c.Value, c.Why)
		}
	}
	if _, err := tally.ParseUSCC("9111000060003734IL"); err == nil || !strings.Contains(err.Error(), "character 17") {
		t.Errorf("ParseUSCC with an I = %v, want it to name character 17", err)
	}
}

func TestMaskIdentifier(t *testing.T) {
	if got, want := tally.MaskIdentifier("360426199101010071"), "3604**********0071"; got != want {
		t.Errorf("MaskIdentifier = %s, want %s", got, want)
	}
}

// Whatever the input, a number ParseResidentID accepts is 18 characters
// whose check character is right and whose birth date is real; and it
// never panics.
func FuzzParseResidentID(f *testing.F) {
	for _, s := range []string{"360426199101010071", "34052419800101001X", "11010519491231002x", "340524198001010013", "", "X", "３６０４２６１９９１０１０１００７１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := tally.ParseResidentID(s)
		if err != nil {
			return
		}
		if len(id.Number) != 18 || tally.ResidentCheck(id.Number[:17]) != id.Number[17] {
			t.Errorf("accepted %q as %q with a wrong check character", s, id.Number)
		}
		if id.Born.Format("20060102") != id.Number[6:14] {
			t.Errorf("accepted %q with birth date %s", s, id.Born)
		}
		if m := tally.MaskIdentifier(id.Number); strings.Contains(m, id.Number[6:14]) {
			t.Errorf("mask %q shows the birth date", m)
		}
	})
}

// A code ParseUSCC accepts is 18 characters of the alphabet with the right
// check character.
func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{"91110000600037341L", "91350100M000100Y43", "9111000060003734IL", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := tally.ParseUSCC(s)
		if err != nil {
			return
		}
		want, err := tally.USCCCheck(code)
		if len(code) != 18 || err != nil || want != code[17] {
			t.Errorf("accepted %q as %q", s, code)
		}
	})
}
