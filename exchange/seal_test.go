package exchange_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/exchange"
)

func TestSealThenOpenGivesTheChangeBack(t *testing.T) {
	court, key := mustSigner(t, "court")
	want := change("court", "airline", 7)
	msg, err := exchange.Seal(court, want)
	if err != nil {
		t.Fatal(err)
	}
	var got tally.Change
	if err := exchange.Open(msg, mustTrust(t, key), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if !strings.HasPrefix(key, "court+") {
		t.Errorf("verifier key %q does not start with the instance's name", key)
	}
}

func TestOpenRefusesWhatItCannotTrust(t *testing.T) {
	court, courtKey := mustSigner(t, "court")
	mallory, _ := mustSigner(t, "court") // the court's name, another key
	bank, bankKey := mustSigner(t, "bank")
	trusted := mustTrust(t, courtKey, bankKey)
	sealed := func(s *exchange.Signer, c tally.Change) []byte {
		msg, err := exchange.Seal(s, c)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	good := sealed(court, change("court", "airline", 1))
	tests := []struct {
		name string
		msg  []byte
		code tally.ErrorCode
		want string
	}{
		{"bad signature", bytes.Replace(good, []byte(`"seq":1`), []byte(`"seq":2`), 1), tally.EForbidden, "does not verify"},
		{"unknown signer", sealed(mallory, change("court", "airline", 1)), tally.EForbidden, "no trusted key"},
		{"another issuer's body", sealed(bank, change("court", "airline", 1)), tally.EForbidden, "names court as its issuer but is signed by bank"},
		{"not a note", []byte("{}\n"), tally.EInvalid, "not a signed note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c tally.Change
			err := exchange.Open(tt.msg, trusted, &c)
			if tally.ErrorCodeOf(err) != tt.code || err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v (%s), want %s saying %q", err, tally.ErrorCodeOf(err), tt.code, tt.want)
			}
		})
	}
}

// A heartbeat is not a change: each kind of body opens only as itself.
func TestOpenTellsAHeartbeatFromAChange(t *testing.T) {
	court, key := mustSigner(t, "court")
	msg, err := exchange.Seal(court, change("court", "airline", 1))
	if err != nil {
		t.Fatal(err)
	}
	var hb exchange.Heartbeat
	if err := exchange.Open(msg, mustTrust(t, key), &hb); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("a change opened as a heartbeat: got %v, want invalid", err)
	}
}

func TestAnInstanceNameMustBeOneSubjectToken(t *testing.T) {
	for _, name := range []string{"", "court.a", "court a", "court+1", "*", ">"} {
		if _, err := exchange.VerifierKey(name, make([]byte, 32)); tally.ErrorCodeOf(err) != tally.EInvalid {
			t.Errorf("VerifierKey(%q): got %v, want invalid", name, err)
		}
	}
}
