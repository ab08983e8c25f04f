package web_test

import (
	"os"
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/workday"
)

// TestCalendarGapOnThePages: with no holiday calendar for 2027 (needed
// from 1 November 2026), the administrator's page carries a banner naming
// 2027 and the import command, in Chinese and English; an objection whose
// acknowledge deadline was counted into 2027 is marked provisional (暂定)
// next to its deadlines on the resident's page and in the review queue.
// Once 2027 is imported the banner and the marks are gone.
func TestCalendarGapOnThePages(t *testing.T) {
	s := newSite(t) // 26 November 2026
	for _, c := range []struct{ lang, want string }{
		{"zh", "没有 2027 年的节假日安排"},
		{"en", "no holiday calendar for 2027"},
	} {
		desk := s.signIn("admin", c.lang)
		desk.get("/admin")
		desk.has("the calendar banner ("+c.lang+")", `id="calendar-gaps"`, c.want, "tally calendar import FILE")
	}
	s.clock.Add(33 * 24 * time.Hour) // Tuesday 29 December: 3 working days run to 1 January 2027
	if _, err := s.svc.Object(s.admin, ledger.ObjectionInput{Scheme: village, Identifier: zhang, Grounds: "the score is wrong"}); err != nil {
		t.Fatalf("an objection due in 2027 was refused: %v", err)
	}
	for _, c := range []struct{ lang, want string }{{"zh", "暂定"}, {"en", "provisional"}} {
		me := s.signIn("zhang", c.lang)
		me.get("/me")
		me.has("the mark on /me ("+c.lang+")", `class="tag provisional"`, c.want)
		desk := s.signIn("reviewer", c.lang)
		desk.get("/review")
		desk.has("the mark in the queue ("+c.lang+")", `class="tag provisional"`, c.want)
	}

	src, err := os.ReadFile("../workday/testdata/holidays-2027.json")
	if err != nil {
		t.Fatal(err)
	}
	years, err := workday.Parse("holidays-2027.json", src)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.ImportCalendar(s.admin, years); err != nil {
		t.Fatal(err)
	}
	desk := s.signIn("admin", "zh")
	desk.get("/admin")
	desk.lacks("the banner after the import", `id="calendar-gaps"`)
	me := s.signIn("zhang", "zh")
	me.get("/me")
	me.lacks("the mark after the import", `class="tag provisional"`)
}
