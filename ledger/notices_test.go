package ledger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/internal/texttest"
	"github.com/tallycredit/tally/ledger"
)

// noticesOf returns every notice in the outbox.
func (f *fixture) noticesOf() []tally.Notice {
	f.t.Helper()
	var ns []tally.Notice
	if err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		var err error
		ns, err = tx.Notices(f.ctx, ledger.DueFilter{Limit: 100})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return ns
}

// A record's notice in a scheme with the Shanghai preset says, Chinese
// first and then English, that an objection is acknowledged within 1
// working day and decided within 5, and the local last day to object.
func TestRecordNoticeStatesTheSchemesClocks(t *testing.T) {
	f, at := clockedFixture(t, "{preset: shanghai}")
	*at = time.Date(2026, 3, 10, 10, 0, 0, 0, shanghai)
	r := f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-03-02", "late/1")
	ns := f.noticesOf()
	if len(ns) != 1 {
		t.Fatalf("got %d notices, want the record's", len(ns))
	}
	n := ns[0]
	lastDay := r.ExpiresAt.In(shanghai).Add(-time.Nanosecond).Format("2006-01-02")
	zh, en, ok := strings.Cut(n.Body, "\n\n")
	if !ok {
		t.Fatalf("the body has no English part after the Chinese:\n%s", n.Body)
	}
	for _, want := range []string{"内容：", "1个工作日内受理", "5个工作日内作出决定", lastDay, "逾期缴纳公用事业费", "按规则 -20"} {
		if !strings.Contains(zh, want) {
			t.Errorf("the Chinese part lacks %q:\n%s", want, zh)
		}
	}
	for _, want := range []string{"What: ", "acknowledged within 1 working day and decided within 5 working days", "by " + lastDay, "Utility fees paid late", "-20 as the rule gives"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English part lacks %q:\n%s", want, en)
		}
	}
	if found := texttest.EnglishSentences(zh, nil); len(found) > 0 {
		t.Errorf("the Chinese part has English sentences %q:\n%s", found, zh)
	}
	if strings.Contains(n.Body, "15") || strings.Contains(n.Body, "3 working days") {
		t.Errorf("the notice quotes the default clocks:\n%s", n.Body)
	}
	if !strings.HasPrefix(n.Title, "记录 #") || !strings.Contains(n.Title, " / Record #") {
		t.Errorf("title %q, want Chinese first, then English", n.Title)
	}
}
