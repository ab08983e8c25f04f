package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

// logCity makes c's database a named instance ("city") with the city's
// and the market's rulebooks, the people of dir and the records of file;
// its log's key is the signing key next to the database (made by init,
// unless one is there already).
func logCity(t *testing.T, c *cli, dir, records string) {
	t.Helper()
	c.ok("init", "--name", "city")
	c.ok("rules", "publish", "../../examples/city.yaml")
	c.ok("rules", "publish", "../../examples/market.yaml")
	c.ok("subjects", "import", filepath.Join(dir, "people.csv"))
	c.ok("import", records)
}

// serveLog serves c's database, signing checkpoints every 20ms, and
// returns its address once it has signed a checkpoint of at
// least size entries, and that checkpoint.
func serveLog(t *testing.T, c *cli, size int64) (string, translog.Checkpoint, func()) {
	t.Helper()
	first, stop := background(t, c.db, "serve", "--addr", "127.0.0.1:0", "--log-checkpoint-every", "20ms", "--rate", "100000", "--burst", "100000")
	addr := "http://" + strings.TrimPrefix(regexpAddr(t, first), "http://")
	v := logVerifier(t, c)
	var got translog.Checkpoint
	eventually(t, "a checkpoint of "+strconv.FormatInt(size, 10)+" entries", func() bool {
		resp, err := http.Get(addr + "/log/checkpoint")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		n, err := note.Open(body, note.VerifierList(v))
		if err != nil {
			return false
		}
		got, err = translog.ParseCheckpoint([]byte(n.Text))
		return err == nil && got.Size >= size
	})
	return addr, got, stop
}

// regexpAddr returns the address in serve's first line.
func regexpAddr(t *testing.T, line string) string {
	t.Helper()
	return servedAt(t, strings.NewReader(line))
}

// logVerifier returns the log's key as `tally log key` prints it.
func logVerifier(t *testing.T, c *cli) note.Verifier {
	t.Helper()
	v, err := note.NewVerifier(strings.TrimSpace(c.ok("log", "key")))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The log of a real tally serve over a SQLite file, a few hundred entries
// (a full tile and more): the stand-alone client checks it and refuses a
// tampered tile; tally audit follows it, and catches the database
// restored from an earlier copy (a rollback), another database with
// another history under the same key (a fork), and a checkpoint under the
// log's name signed by another key.
func TestServedLogIsCheckedAndAudited(t *testing.T) {
	dir := t.TempDir()
	c := newCLI(t)
	c.ok("gen", "--out", dir, "--persons", "40", "--shops", "5", "--records", "320", "--list-entries", "0", "--end", "2026-11-01")
	all, err := os.ReadFile(filepath.Join(dir, "records.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(all), "\n")
	half := filepath.Join(dir, "half.csv")
	writeFile(t, half, strings.Join(lines[:len(lines)/2], ""))
	full := filepath.Join(dir, "records.csv")
	logCity(t, c, dir, half)

	// The early copy: the database as it was at the first checkpoint.
	_, early, stop := serveLog(t, c, 1)
	stop()
	earlyCopy := filepath.Join(dir, "early.db")
	copyFile(t, c.db, earlyCopy)
	c.ok("import", full)
	addr, now, stop := serveLog(t, c, early.Size+1)
	if now.Size < 256+20 {
		t.Fatalf("the log has %d entries, want a full tile and more", now.Size)
	}
	vkey := strings.TrimSpace(c.ok("log", "key"))

	// The stand-alone client, built and run as an outsider would.
	bin := filepath.Join(t.TempDir(), "tlogclient")
	if out, err := exec.Command("go", "build", "-o", bin, "../../examples/tlogclient").CombinedOutput(); err != nil {
		t.Fatalf("go build tlogclient: %v\n%s", err, out)
	}
	for _, leaf := range []string{"-1", "3", "300"} {
		out, err := exec.Command(bin, "-url", addr, "-key", vkey, "-leaf", leaf).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "as signed") || !strings.Contains(string(out), "is in the tree") {
			t.Errorf("tlogclient -leaf %s: %v\n%s", leaf, err, out)
		}
	}
	target, _ := url.Parse(addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(r *http.Response) error {
		if r.Request.URL.Path != "/log/tile/0/000" {
			return nil
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		body[100] ^= 1
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		return nil
	}
	tampered := httptest.NewServer(proxy)
	defer tampered.Close()
	if out, err := exec.Command(bin, "-url", tampered.URL, "-key", vkey, "-leaf", "3").CombinedOutput(); err == nil {
		t.Errorf("tlogclient accepted a tampered tile:\n%s", out)
	}

	// The auditor trusts the log as served.
	state := filepath.Join(dir, "audit")
	audit := func(from string) (int, string) {
		code, out, errOut := c.run("audit", "--from", from, "--key", vkey, "--state", state, "--once")
		return code, out + errOut
	}
	if code, out := audit(addr); code != 0 || !strings.Contains(out, "trusted "+strconv.FormatInt(now.Size, 10)+" entries") {
		t.Fatalf("audit: exit %d %s", code, out)
	}
	stop()
	alerted := func(finding, what string, from string) {
		t.Helper()
		code, out := audit(from)
		if code != exitConflict || !strings.Contains(out, "ALERT: ") || !strings.Contains(out, "告警") {
			t.Errorf("audit of %s: exit %d %s, want %d and the alert of a %s", what, code, out, exitConflict, finding)
		}
		if kept, _ := filepath.Glob(filepath.Join(state, "evidence-*-"+strings.ReplaceAll(finding, " ", "-"), "refused")); len(kept) != 1 {
			t.Errorf("audit of %s: evidence %v, want the refused checkpoint", what, kept)
		}
	}

	// Rollback: the database restored from the early copy.
	copyFile(t, earlyCopy, c.db)
	addr, _, stop = serveLog(t, c, 1)
	alerted("rollback", "the database restored from an earlier copy", addr)
	stop()

	// Fork: another database, the same records, the same key.
	other := newCLI(t)
	copyFile(t, c.db+".sign", other.db+".sign")
	logCity(t, other, dir, full)
	addr, _, stop = serveLog(t, other, now.Size)
	alerted("fork", "another history under the same key", addr)
	stop()

	// Key change: another database of the same name with another key.
	third := newCLI(t)
	logCity(t, third, dir, half)
	addr, _, stop = serveLog(t, third, 1)
	alerted("key changed", "a checkpoint signed by another key", addr)
	stop()
}
