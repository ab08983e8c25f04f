package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally/internal/logtest"
	"github.com/tallycredit/tally/witness"
	"golang.org/x/mod/sumdb/note"
)

// tally audit --witness-key FILE --print-key makes a witness key when
// given a name and the file is missing, and prints its cosignature/v1
// verifier key, with which the checkpoints it cosigns verify; --listen
// and --print-key refuse to run without a key.
func TestAuditWitnessKey(t *testing.T) {
	c := newCLI(t)
	keyFile := filepath.Join(t.TempDir(), "witness.key")
	vkey := strings.TrimSpace(c.ok("audit", "--witness-key", keyFile, "--witness-name", "auditor.example", "--print-key"))
	if info, err := os.Stat(keyFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the new key file: %v, %v; want mode 0600", info, err)
	}
	if again := strings.TrimSpace(c.ok("audit", "--witness-key", keyFile, "--print-key")); again != vkey {
		t.Errorf("printed again: %q, want %q", again, vkey)
	}
	cosigner, err := witness.NewCosignatureVerifier(vkey)
	if err != nil || cosigner.Name() != "auditor.example" {
		t.Fatalf("printed %q: %v", vkey, err)
	}

	log := logtest.NewKey(t, "city.example/log")
	url := logtest.Serve(t, logtest.API(t, logtest.Grown(t, log.Signer, "", 30)))
	state := filepath.Join(t.TempDir(), "state")
	c.ok("audit", "--from", url, "--key", log.Public, "--state", state, "--witness-key", keyFile, "--once")
	cosigned, err := os.ReadFile(filepath.Join(state, witness.CosignedFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(cosigned, note.VerifierList(cosigner)); err != nil {
		t.Errorf("the cosigned checkpoint does not verify with the printed key: %v\n%s", err, cosigned)
	}

	// A witness serving its cosignatures cosigns every 15 s unless told:
	// a quarter of the verifiers' default --max-lag.
	line, _ := background(t, "", "audit", "--from", url, "--key", log.Public, "--state", state, "--witness-key", keyFile, "--listen", "127.0.0.1:0")
	if !strings.Contains(line, "15s") || strings.Contains(line, "1m0s") {
		t.Errorf("tally audit --listen without --every printed %q, want it to cosign every 15s", line)
	}

	for _, tc := range []struct {
		args  []string
		field string
	}{
		{[]string{"--print-key"}, "--witness-key"},
		{[]string{"--print-key", "--witness-key", filepath.Join(t.TempDir(), "missing")}, "missing"},
		{[]string{"--from", url, "--key", log.Public, "--state", state, "--listen", "127.0.0.1:0"}, "--listen"},
		{[]string{"--from", url, "--key", log.Public, "--state", state, "--witness-key", keyFile, "--listen", "127.0.0.1:0", "--once"}, "--listen"},
	} {
		code, _, errOut := c.run(append([]string{"audit"}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.field) {
			t.Errorf("audit %v: exit %d %q, want a refusal naming %s", tc.args, code, errOut, tc.field)
		}
	}
}

// A verifier told to require two third-party witnesses of its issuer's
// log answers only once both, running tally audit --witness-key --listen,
// cosigned the court's checkpoint, and stops answering once one of them
// has not cosigned for longer than --max-lag.
func TestVerifierRequiresWitnessesOfTheIssuersLog(t *testing.T) {
	natsURL, _ := natsNode(t)
	court, airline, key, token, courtURL := courtServingAirline(t, natsURL)
	logKey := strings.TrimSpace(court.ok("log", "key"))

	type witnessRun struct{ keyFile, vkey, addr string }
	var ws []witnessRun
	for i := range 2 {
		w := witnessRun{keyFile: filepath.Join(t.TempDir(), "witness.key"), addr: "127.0.0.1:" + strconv.Itoa(freePort(t))}
		w.vkey = strings.TrimSpace(court.ok("audit", "--witness-key", w.keyFile, "--witness-name", fmt.Sprintf("w%d.example", i+1), "--print-key"))
		ws = append(ws, w)
	}
	run := func(w witnessRun) func() {
		line, stop := background(t, "", "audit", "--from", courtURL, "--key", logKey, "--state", filepath.Join(t.TempDir(), "state"),
			"--witness-key", w.keyFile, "--listen", w.addr, "--every", "1s")
		if !strings.Contains(line, "http://"+w.addr+"/checkpoint") {
			t.Fatalf("tally audit --listen printed %q, want its address", line)
		}
		return stop
	}

	line, _ := background(t, airline.db, "verifier", "--addr", "127.0.0.1:0", "--nats", natsURL, "--trust", key, "--max-lag", "10s",
		"--audit-log", courtURL, "--audit-key", logKey,
		"--witness", "http://"+ws[0].addr+"="+ws[0].vkey, "--witness", "http://"+ws[1].addr+"="+ws[1].vkey, "--witnesses", "2")
	airlineURL := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	refusal := func(says string) func() bool {
		return func() bool {
			status, p := checkAt(t, airlineURL, token, "en")
			return status == 503 && strings.Contains(fmt.Sprint(p["detail"]), says)
		}
	}
	eventually(t, "the airline refuses before any witness cosigned", refusal("0 witnesses of the log court/log"))
	if _, p := checkAt(t, airlineURL, token, ""); !strings.Contains(fmt.Sprint(p["detail"]), "见证方") {
		t.Errorf("the refusal %v is not in Chinese", p["detail"])
	}
	run(ws[0])
	eventually(t, "the airline still refuses with one witness of two", refusal("1 witnesses of the log court/log"))
	stopSecond := run(ws[1])
	eventually(t, "the airline answers once both witnesses cosigned", func() bool {
		status, _ := checkAt(t, airlineURL, token, "en")
		return status == 200
	})
	stopSecond()
	eventually(t, "the airline refuses once a witness's cosignature is older than --max-lag", refusal("1 witnesses of the log court/log"))
}
