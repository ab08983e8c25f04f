package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// An operator reads every date on the scheme's (or the catalogue's) own
// day: 16:00 UTC is already the next day in Beijing, the zone of the
// catalogue and of the city's rulebook. Dates typed in flags are read in
// that zone, in ASCII or full-width digits or as 2026年3月1日.
func TestCLIPrintsTheLocalDay(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/city.yaml")
	const id = "360426199101010071"
	c.ok("subjects", "add", "--kind", "person", "--id", id, "--name", "张三")
	c.ok("enrol", "--scheme", "rongcheng-city", "--subject", id, "--consent")

	out := c.ok("lists", "add", "--list", "judgment-defaulters", "--subject", id, "--name", "张三",
		"--case", "(2026)鲁1082执7号", "--court", "荣成市人民法院", "--decided", "２０２６－０２－１０", "--notice", "2026-03-01T16:00:00Z",
		"--grounds", "refuses", "--basis", "SPC art. 1")
	if !strings.Contains(out, "in effect 2026-03-02 to") {
		t.Errorf("lists add printed %q, want the entry in effect from 2026-03-02, Beijing's day", out)
	}
	out = c.ok("lists", "remove", "--list", "judgment-defaulters", "--case", "(2026)鲁1082执7号", "--reason", "performed", "--on", "2026-03-01T16:30:00Z")
	if !strings.Contains(out, "removed 2026-03-02 00:30 UTC+08:00") {
		t.Errorf("lists remove printed %q, want it removed 2026-03-02 00:30 UTC+08:00", out)
	}
	out = c.ok("lists", "add", "--list", "judgment-defaulters", "--subject", id, "--name", "张三",
		"--case", "(2026)鲁1082执8号", "--court", "荣成市人民法院", "--decided", "2026年2月10日", "--notice", "2026年3月2日",
		"--grounds", "refuses", "--basis", "SPC art. 1")
	if !strings.Contains(out, "in effect 2026-03-02 to") {
		t.Errorf("lists add with Chinese dates printed %q, want the entry in effect from 2026-03-02", out)
	}

	c.ok("record", "--scheme", "rongcheng-city", "--subject", id, "--rule", "finance.loan-default", "--at", "2026-03-01T16:00:00Z",
		"--ref", "bank/1", "--evidence", "letter", "--by", "recorder-7")
	c.ok("objections", "file", "--scheme", "rongcheng-city", "--subject", id, "--record", "1", "--grounds", "repaid", "--by", "张三")
	if out := c.ok("objections", "list"); !strings.Contains(out, "on 2026-03-02") {
		t.Errorf("objections list printed %q, want the record's day 2026-03-02", out)
	}
}

// What tally objections ack and decide print, for instants on either side
// of Beijing's midnight (the commands take the time from the clock, so
// the printing is tried here with set instants).
func TestObjectionOutputShowsTheLocalDay(t *testing.T) {
	beijing, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	midnight := time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC)
	o := &ledger.ObjectionView{Objection: tally.Objection{ID: 7, Scheme: "rongcheng-city", FiledBy: "张三", Grounds: "repaid",
		FiledAt: midnight.Add(-time.Second), AcknowledgedAt: midnight, AcknowledgedBy: "reviewer-2",
		AcknowledgeBy: midnight.Add(3*24*time.Hour - time.Microsecond), DecideBy: midnight.Add(15*24*time.Hour - time.Microsecond)}}
	var b bytes.Buffer
	printAck(&b, texts.In("en"), &o.Objection, beijing)
	if got, want := b.String(), "objection #7 acknowledged by reviewer-2 on 2026-03-02 00:00 UTC+08:00\n"; got != want {
		t.Errorf("ack printed %q, want %q", got, want)
	}
	b.Reset()
	printObjection(&b, texts.In("en"), o, beijing)
	if got := b.String(); !strings.Contains(got, "acknowledge by 2026-03-04, decide by 2026-03-16") {
		t.Errorf("an open objection printed %q, want its deadlines on Beijing's days", got)
	}
	o.Decision = &tally.ObjectionDecision{Outcome: tally.Upheld, By: "reviewer-2", At: midnight.Add(30 * time.Minute), Reasons: "seen"}
	o.AppealBy = midnight.Add(15*24*time.Hour - time.Microsecond)
	b.Reset()
	printObjection(&b, texts.In("en"), o, beijing)
	if got := b.String(); !strings.Contains(got, "decided upheld by reviewer-2 on 2026-03-02") || !strings.Contains(got, "appealed until 2026-03-16") {
		t.Errorf("a decided objection printed %q, want it decided on 2026-03-02 and appealable until 2026-03-16", got)
	}
}
