package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A terminal sees a count with its rate and, when the total is known,
// about how long is left, in the command's language; the first second
// shows no rate.
func TestProgressShowsRateAndTimeLeft(t *testing.T) {
	start := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		lang     string
		at       time.Duration
		done, of int64
		want     string
	}{
		{"en", 500 * time.Millisecond, 100, 1000, "100 of 1000"},
		{"en", 2 * time.Second, 500, 1000, "500 of 1000 · 250 rows/s · about 2 s left"},
		{"en", 100 * time.Second, 100, 10000, "100 of 10000 · 1 rows/s · about 165 min 00 s left"},
		{"en", 4 * time.Second, 1000, 1000, "1000 of 1000 · 250 rows/s"},
		{"en", 4 * time.Second, 1000, 0, "1000 of 0 · 250 rows/s"},
		{"zh", 2 * time.Second, 500, 1000, "500 of 1000 · 每秒 250 行 · 约剩 2 秒"},
		{"zh", 70 * time.Second, 70, 140, "70 of 140 · 每秒 1 行 · 约剩 1 分 10 秒"},
	} {
		var w bytes.Buffer
		clock := start
		p := &progress{w: &w, label: "import", tty: true, text: texts.In(tc.lang).Text, now: func() time.Time { return clock }, began: start}
		clock = start.Add(tc.at)
		p.count(tc.done, tc.of, "cli.progress.unit_rows", fmt.Sprintf("%d of %d", tc.done, tc.of))
		if got, want := w.String(), "\r\033[Kimport: "+tc.want; got != want {
			t.Errorf("%s after %s, %d of %d: terminal shows %q, want %q", tc.lang, tc.at, tc.done, tc.of, got, want)
		}
	}
}

// Anything but a terminal (a buffer, a file, a pipe) gets nothing.
func TestProgressIsQuietOffATerminal(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var buf bytes.Buffer
	e := &env{stderr: file}
	e.cfg.Lang = "en"
	for _, p := range []*progress{newProgress(&buf, "import"), e.bar("close")} {
		p.text = texts.In("en").Text
		p.began = p.now().Add(-time.Minute)
		p.count(10, 100, "cli.progress.unit_rows", "10 of 100")
		p.show("%d rows", 10)
		p.done()
	}
	if info, _ := file.Stat(); buf.Len() > 0 || info.Size() > 0 {
		t.Errorf("off a terminal: %q in a buffer and %d bytes in a file, want nothing", buf.String(), info.Size())
	}
}
