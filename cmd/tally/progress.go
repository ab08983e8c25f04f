package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"golang.org/x/term"
)

// progress redraws one status line on a terminal, at most ten times a
// second; on anything else (a pipe, a log file, a test) it stays silent.
type progress struct {
	w     io.Writer
	label string
	tty   bool
	text  func(key string, args ...any) string // the command's catalogue: rates and times left are in its words
	now   func() time.Time
	began time.Time // of the count shown, for its rate
	last  time.Time
	line  string
}

func newProgress(w io.Writer, label string) *progress {
	f, ok := w.(*os.File)
	p := &progress{w: w, label: label, tty: ok && term.IsTerminal(int(f.Fd())), now: time.Now}
	p.began = p.now()
	return p
}

// bar returns a progress line on the command's standard error that can
// show rates and times left in the command's language.
func (e *env) bar(label string) *progress {
	p := newProgress(e.stderr, label)
	p.text = e.text
	return p
}

func (p *progress) show(format string, args ...any) {
	if !p.tty {
		return
	}
	p.line = fmt.Sprintf(format, args...)
	now := p.now()
	if now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\r\033[K%s: %s", p.label, p.line)
}

// count shows line, which tells that done units of total are done (total
// 0: not known), followed by the rate in units (a catalogue key) per
// second since the count began and, with a total, about how long is left.
// The first second shows no rate: it would say little.
func (p *progress) count(done, total int64, units, line string) {
	if !p.tty {
		return
	}
	elapsed := p.now().Sub(p.began)
	if done > 0 && elapsed >= time.Second {
		line += " · " + p.text("cli.progress.rate", int64(float64(done)/elapsed.Seconds()), p.text(units))
		if total > done {
			left := time.Duration(float64(elapsed) * float64(total-done) / float64(done))
			line += " · " + p.text("cli.progress.left", p.duration(left))
		}
	}
	p.show("%s", line)
}

// restart begins a new count, as a new stage of a command does.
func (p *progress) restart() { p.began = p.now() }

// duration says d in whole seconds, rounded up, or minutes and seconds.
func (p *progress) duration(d time.Duration) string {
	s := int64(math.Ceil(d.Seconds()))
	if s < 60 {
		return p.text("cli.progress.seconds", s)
	}
	return p.text("cli.progress.minutes", s/60, s%60)
}

func (p *progress) done() {
	if p.tty && p.line != "" {
		fmt.Fprintf(p.w, "\r\033[K%s: %s\n", p.label, p.line)
	}
}
