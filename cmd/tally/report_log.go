package main

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/tallycredit/tally/ledger"
)

// openReporting opens the ledger to issue reports: it returns the report
// signing key (made when missing) and, when the instance has a name, a
// ledger that signs the log's checkpoints with it, so that its reports
// carry proofs of their entries. An instance without a name issues
// reports without proofs.
func (e *env) openReporting(signKeyFlag string) (*ledger.Service, func(), ed25519.PrivateKey, error) {
	svc, done, err := e.openLogged(signKeyFlag, true, true)
	if err != nil {
		return nil, nil, nil, err
	}
	key, err := e.loadSignKey(svc, e.signKeyPath(signKeyFlag), true)
	if err != nil {
		done()
		return nil, nil, nil, err
	}
	return svc, done, key, nil
}

// printReportLog says what the check of a report's log proofs found, one
// line per entry, and fails when it found anything wrong.
func (e *env) printReportLog(w io.Writer, c *ledger.ReportLogCheck) {
	if !c.Carried {
		fmt.Fprintln(w, e.text("verify.log.none"))
		return
	}
	fmt.Fprintln(w, e.text("verify.log.checkpoint", c.Size, shortHash(c.Root.String())))
	if c.Signed {
		fmt.Fprintln(w, e.text("verify.log.signed"))
	} else {
		fmt.Fprintln(w, e.text("verify.log.unsigned"))
	}
	if c.Consistent {
		fmt.Fprintln(w, e.text("verify.log.consistent", c.Latest))
	} else {
		fmt.Fprintln(w, e.text("verify.log.inconsistent", c.Latest))
	}
	for _, en := range c.Entries {
		fmt.Fprintln(w, e.text("verify.log.entry."+string(en.Status), en.Kind, en.Ref, en.Index))
	}
}

// shortHash is the start of a base64 hash, enough to compare by eye.
func shortHash(h string) string { return h[:min(len(h), 12)] + "…" }
