package parse_test

import (
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// The parsers need no database and no use case, so that they can be
// fuzzed alone: the package imports only the standard library (no
// database/sql), the domain package and excelize, which reads workbooks.
func TestParseImportsOnlyTheDomain(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range pkgs {
		for name, f := range pkg.Files {
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				std := !strings.Contains(strings.Split(path, "/")[0], ".")
				allowed := path == "github.com/tallycredit/tally" || path == "github.com/xuri/excelize/v2"
				if !allowed && (!std || strings.HasPrefix(path, "database/")) {
					t.Errorf("%s imports %s: want only the standard library (no database), the domain package and excelize", name, path)
				}
			}
		}
	}
}
