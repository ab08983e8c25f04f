package tally_test

import (
	"flag"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally/internal/docsection"
)

var update = flag.Bool("update", false, "rewrite the generated sections of docs/ARCHITECTURE.md")

// docs/ARCHITECTURE.md draws the packages with their imports; the arrows
// are generated from the code, so the picture cannot drift from it.
func TestArchitectureShowsTheImports(t *testing.T) {
	const module = "github.com/tallycredit/tally"
	imports := map[string][]string{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bench") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		if pkg == "." {
			pkg = "tally"
		}
		for _, spec := range f.Imports {
			p, _ := strconv.Unquote(spec.Path.Value)
			if dep, ok := strings.CutPrefix(p, module+"/"); ok && !slices.Contains(imports[pkg], dep) {
				imports[pkg] = append(imports[pkg], dep)
			} else if _, ok := imports[pkg]; !ok {
				imports[pkg] = nil
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(imports["ledger"]) == 0 || len(imports["sqlstore"]) == 0 {
		t.Fatalf("found no imports of ledger or sqlstore: %v", imports)
	}
	var b strings.Builder
	b.WriteString("```\n")
	for _, pkg := range slices.Sorted(func(yield func(string) bool) {
		for k := range imports {
			if !yield(k) {
				return
			}
		}
	}) {
		deps := imports[pkg]
		slices.Sort(deps)
		arrow := "(no other package of tally)"
		if len(deps) > 0 {
			arrow = "──> " + strings.Join(deps, ", ")
		}
		if pkg == "tally" {
			arrow = "(the domain: the standard library only)"
		}
		b.WriteString(pad(pkg, 21) + arrow + "\n")
	}
	b.WriteString("```\n")
	docsection.Check(t, "docs/ARCHITECTURE.md", "imports", b.String(), *update, "go test . -run TestArchitectureShowsTheImports -update")
}

// pad widens s with spaces to n characters.
func pad(s string, n int) string { return s + strings.Repeat(" ", max(1, n-len(s))) }
