package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tallycredit/tally/demo"
)

// The airline's lines of the tour: the check to run, with its token, and
// the command that removes the court's entry.
var (
	airlineCheck  = regexp.MustCompile(`curl -s (http://127\.0\.0\.1:\d+)/api/v1/checks -H 'Authorization: Bearer (\S+)' -H 'Content-Type: application/json' -d '(\{.+\})'`)
	airlineRemove = regexp.MustCompile(`go run \./cmd/tally (lists remove .+)`)
)

// tally demo also runs the exchange: an embedded NATS server, the demo's
// court publishing, and the airline's verifier on a second address, which
// refuses the resident the demo listed (the check the tour prints) and,
// once the court removes the entry (the command the tour prints), allows
// them. Stopped, it removes the NATS server's folder.
func TestDemoAirline(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the demo keeps its NATS server's streams
	d := serveDemo(t)
	check := airlineCheck.FindStringSubmatch(d.printed)
	remove := airlineRemove.FindStringSubmatch(d.printed)
	if check == nil || remove == nil {
		t.Fatalf("the tour shows no airline check or no removal at the court:\n%s", d.printed)
	}
	url, token, body := check[1], check[2], check[3]
	if url == d.base {
		t.Fatalf("the airline serves on the court's address %s", url)
	}
	if _, err := os.Stat(strings.TrimSuffix(d.db, ".db") + "-airline.db"); err != nil {
		t.Errorf("the airline's database is not next to the demo's: %v", err)
	}
	answer := func() string {
		req, _ := http.NewRequest("POST", url+"/api/v1/checks", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var got struct{ Answer string }
		if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&got) != nil {
			return resp.Status
		}
		return got.Answer
	}
	eventually(t, "the airline refuses the resident the court listed", func() bool { return answer() == "denied" })

	var out, errOut strings.Builder
	if code := run(context.Background(), strings.Fields(remove[1]), strings.NewReader(""), &out, &errOut); code != 0 {
		t.Fatalf("tally %s exited %d: %s", remove[1], code, errOut.String())
	}
	eventually(t, "the airline allows them once the court removed the entry", func() bool { return answer() == "allowed" })

	d.stop()
	if code := <-d.exited; code != 0 {
		t.Errorf("demo exited %d, want 0", code)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the demo left %v in the temporary folder, want its NATS folder removed", left)
	}
}

// The tour names the airline's address, its token, the check and the
// removal, in Chinese and in English.
func TestDemoTourNamesTheAirline(t *testing.T) {
	story := demo.Story{Listed: demo.Example{Identifier: "370983199001011234", Name: "张三"}, List: "judgment-defaulters",
		Case: demo.CaseNumber, Measure: demo.AirlineMeasure}
	airline := demoAirline{addr: "127.0.0.1:41234", token: "tly_gate"}
	said := map[string]string{}
	for _, lang := range []string{"zh", "en"} {
		var w strings.Builder
		printAirline(&w, texts.In(lang), airline, "demo.db", story)
		said[lang] = w.String()
		for _, want := range []string{"http://127.0.0.1:41234", "Bearer tly_gate", story.CheckBody(), story.RemoveCommand() + " --db demo.db"} {
			if !strings.Contains(w.String(), want) {
				t.Errorf("the tour in %s does not say %q:\n%s", lang, want, w.String())
			}
		}
	}
	if said["zh"] == said["en"] || !strings.Contains(said["zh"], "航空公司") || !strings.Contains(said["en"], "airline") {
		t.Errorf("the airline's lines are not in each language:\n%s\n%s", said["zh"], said["en"])
	}
}

// tally demo --serve=false builds the airline's database too, next to
// the demo's, and rebuilds it; a real database where the airline's would
// go is refused before anything is removed.
func TestDemoBuildsTheAirline(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo takes a few seconds")
	}
	c := newCLI(t)
	airline := &cli{t: t, db: strings.TrimSuffix(c.db, ".db") + "-airline.db"}
	args := []string{"demo", "--villagers", "30", "--residents", "20", "--shops", "4", "--serve=false"}
	c.ok(args...)
	c.ok(args...) // rebuilt, not refused
	if got := airline.ok("agreements", "list"); !strings.Contains(got, "court-to-airline") {
		t.Errorf("the airline's agreements:\n%s\nwant court-to-airline", got)
	}
	if got := airline.ok("tokens", "list"); !strings.Contains(got, "verifier") {
		t.Errorf("the airline's tokens:\n%s\nwant a verifier's", got)
	}

	for _, suffix := range []string{"", ".key", ".sign"} {
		os.Remove(airline.db + suffix)
	}
	airline.ok("init")
	if code, _, errOut := c.run(args...); code != exitConflict || !strings.Contains(errOut, airline.db) {
		t.Fatalf("demo beside a real database where the airline's goes: exit %d %q, want a refusal naming it", code, errOut)
	}
	if _, err := os.Stat(c.db); err != nil {
		t.Errorf("the refused demo removed its own database: %v", err)
	}
}
