package main

import (
	"fmt"
	"io"
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
	last  time.Time
	line  string
}

func newProgress(w io.Writer, label string) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, label: label, tty: ok && term.IsTerminal(int(f.Fd()))}
}

func (p *progress) show(format string, args ...any) {
	if !p.tty {
		return
	}
	p.line = fmt.Sprintf(format, args...)
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K%s: %s", p.label, p.line)
}

func (p *progress) done() {
	if p.tty && p.line != "" {
		fmt.Fprintf(p.w, "\r\033[K%s: %s\n", p.label, p.line)
	}
}
