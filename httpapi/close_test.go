package httpapi_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

// A recorder closes October through the API; the sheet's totals, its rows
// and the public board agree; a report's code is verified by anyone.
func TestCloseThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	for _, p := range []struct{ id, name string }{{zhang, "张三"}, {li, "李四"}} {
		if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: p.id, Name: p.name}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: "jiakuang-majia", Identifier: p.id, Consent: true}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.svc.SetPublication(s.admin, "jiakuang-majia", zhang, true, "signed form"); err != nil {
		t.Fatal(err)
	}
	for i, c := range []ledger.Conduct{
		{Scheme: "jiakuang-majia", Identifier: zhang, Rule: "donation", FactArgs: []string{"value=1300"}, Ref: "a"},
		{Scheme: "jiakuang-majia", Identifier: li, Rule: "conduct.littering", Ref: "b"},
	} {
		c.At, c.By, c.Evidence = time.Date(2026, 10, 3+i, 9, 0, 0, 0, now.Location()), "recorder-7", "note"
		if _, err := s.svc.Record(s.admin, c); err != nil {
			t.Fatal(err)
		}
	}
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}})
	first, err := recorder.Close(t.Context(), "jiakuang-majia", "2026-10")
	if err != nil || !first.Made {
		t.Fatalf("close: %v %+v", err, first)
	}
	again, err := recorder.Close(t.Context(), "jiakuang-majia", "2026-10")
	if err != nil || again.Made || again.Close.Digest != first.Close.Digest {
		t.Errorf("close again: %v %+v, want the first close", err, again)
	}
	_, err = recorder.Close(t.Context(), "jiakuang-majia", "2026-11")
	wantStatus(t, "close the current month", err, 400, "invalid")

	sheet, err := recorder.Sheet(t.Context(), "jiakuang-majia", "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if sheet.Total.Gains != 13 || sheet.Total.Losses != -10 || sheet.Total.Records != 2 || len(sheet.ByCategory) != 2 {
		t.Errorf("sheet totals %+v by category %+v, want 13 gained, 10 lost, 2 records in 2 categories", sheet.Total, sheet.ByCategory)
	}
	rows, next, err := recorder.CloseRows(t.Context(), "jiakuang-majia", "2026-10", "", 1)
	if err != nil || len(rows) != 1 || next == "" {
		t.Fatalf("rows page 1: %v %+v next %q", err, rows, next)
	}
	more, next2, err := recorder.CloseRows(t.Context(), "jiakuang-majia", "2026-10", next, 1)
	if err != nil || len(more) != 1 || more[0].Name == rows[0].Name {
		t.Errorf("rows page 2: %v %+v (next %q)", err, more, next2)
	}
	public := s.client(ledger.TokenSpec{})
	_, err = public.Sheet(t.Context(), "jiakuang-majia", "2026-10")
	wantStatus(t, "the public reads a sheet", err, 401, "unauthorized")
	board, err := public.Board(t.Context(), "jiakuang-majia", "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	if len(board.Entries) != 1 || board.Entries[0].Name != "张三" || board.Entries[0].Flags != 2 || board.Entries[0].Stars != 1 {
		t.Errorf("board %+v: want 张三 alone, 2 flags and 1 star", board.Entries)
	}

	font, err := report.FindFont("")
	if err != nil {
		t.Skipf("no CJK font to issue a report: %v", err) // report_test fails in CI without one
	}
	key, _ := report.ParseKey(report.GenerateKey())
	is := &report.Issuer{Service: s.svc, Key: key, Font: font, VerifyURL: s.url + "/verify/"}
	issued, _, err := is.Issue(s.admin, zhang, "home loan", "en")
	if err != nil {
		t.Fatal(err)
	}
	got, err := public.Report(t.Context(), issued.Code)
	if err != nil || got.Purpose != "home loan" || got.Digest != issued.Digest || got.Masked != issued.Masked {
		t.Errorf("report by code: %v %+v, want %+v", err, got, issued)
	}
	_, err = public.Report(t.Context(), "NOPE-NOPE")
	wantStatus(t, "an unknown code", err, 404, "not_found")
}
