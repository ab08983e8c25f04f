package witness

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// AnsweredFile, in a gate's state directory, holds when the gate last
// found, after a round of audit, that its reader may answer.
const AnsweredFile = "answered"

// noteAnswered keeps, after a round that left the gate answering, when
// it was. A failure to write it is not the gate's to report: Answered
// then finds the file old and refuses, as it should.
func (g *Gate) noteAnswered(at time.Time) {
	_ = writeAtomic(g.Witness.Dir, AnsweredFile, []byte(at.UTC().Format(time.RFC3339Nano)+"\n"))
}

// Answered returns nil when the gate whose state is in dir found, within
// maxLag before now, that its reader may answer, and no audit kept
// evidence of the log misbehaving; otherwise it says why not. It lets a
// reader without the running gate (tally check on a verifier's database)
// fail closed as the gate's own reader does.
func Answered(dir string, maxLag time.Duration, now time.Time) error {
	evidence, err := filepath.Glob(filepath.Join(dir, "evidence-*"))
	if err != nil {
		return err
	}
	if len(evidence) > 0 {
		return tally.Errorf(tally.EUnavailable, "cannot answer: the audit of the log found it misbehaving (evidence in %s)", evidence[0])
	}
	b, err := readState(dir, AnsweredFile)
	if err != nil {
		return err
	}
	if b == nil {
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log is not audited yet (no sound audit recorded in %s)", dir)
	}
	at, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
	if err != nil {
		return tally.Errorf(tally.EUnavailable, "cannot answer: %s is not the time of an audit", filepath.Join(dir, AnsweredFile))
	}
	if lag := now.Sub(at); lag > maxLag {
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log was last audited soundly %s ago (the bound is %s)", lag.Round(time.Second), maxLag)
	}
	return nil
}
