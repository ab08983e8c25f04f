// Command tally runs a rule-of-law credit-points system from one binary:
// publish rulebooks, enrol subjects, record conduct, and print explained
// scores, against an embedded SQLite database by default.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // rulebooks name time zones; the binary must not depend on the host's zone files
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
