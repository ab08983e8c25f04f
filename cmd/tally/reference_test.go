package main

import (
	"flag"
	"testing"

	"github.com/tallycredit/tally/internal/docsection"
)

var update = flag.Bool("update", false, "rewrite docs/CLI.md's generated reference")

// docs/CLI.md shows the command reference as the command definitions
// generate it.
func TestCLIDocShowsTheCommands(t *testing.T) {
	// Flag defaults read from the environment show their built-in value.
	t.Setenv("TALLY_ADDR", "")
	t.Setenv("TALLY_VERIFY_URL", "")
	want, err := reference()
	if err != nil {
		t.Fatal(err)
	}
	docsection.Check(t, "../../docs/CLI.md", "reference", want, *update,
		"go test ./cmd/tally -run TestCLIDocShowsTheCommands -update")
}
