package tally_test

import (
	"os"
	"slices"
	"strings"
	"testing"
)

// docs/ARCHITECTURE.md says why each direct dependency is there; the list
// must name exactly the modules go.mod requires directly, so a dependency
// cannot arrive, or leave, without the document saying so.
func TestArchitectureNamesEveryDependency(t *testing.T) {
	required := directRequirements(mustRead(t, "go.mod"))
	named := dependencyRows(t, mustRead(t, "docs/ARCHITECTURE.md"))
	if len(required) == 0 {
		t.Fatal("go.mod: found no direct requirement")
	}
	for _, m := range required {
		if !slices.Contains(named, m) {
			t.Errorf("go.mod requires %s directly, but docs/ARCHITECTURE.md's %q section has no row for it", m, dependenciesHeading)
		}
	}
	for _, m := range named {
		if !slices.Contains(required, m) {
			t.Errorf("docs/ARCHITECTURE.md's %q section names %s, which go.mod does not require directly", dependenciesHeading, m)
		}
	}
}

const dependenciesHeading = "## Dependencies, and why"

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// directRequirements returns the modules go.mod requires without an
// "// indirect" mark, in both the one-line and the block form.
func directRequirements(gomod string) []string {
	var mods []string
	inBlock := false
	for _, line := range strings.Split(gomod, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
			continue
		case inBlock && line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require "):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 || strings.HasPrefix(fields[0], "//") || strings.Contains(line, "// indirect") {
			continue
		}
		mods = append(mods, fields[0])
	}
	return mods
}

// dependencyRows returns the module named in backquotes in the first cell
// of each row of the document's dependencies table.
func dependencyRows(t *testing.T, doc string) []string {
	t.Helper()
	_, section, ok := strings.Cut(doc, "\n"+dependenciesHeading+"\n")
	if !ok {
		t.Fatalf("docs/ARCHITECTURE.md has no %q section", dependenciesHeading)
	}
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var mods []string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.TrimSpace(cells[1])
		if name, _, ok := strings.Cut(strings.TrimPrefix(first, "`"), "`"); ok {
			mods = append(mods, name)
		}
	}
	return mods
}
