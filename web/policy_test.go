package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
)

// Every page that needs a signed-in role takes its roles from ledger.Policy
// (ledger.RolesFor, directly or through a variable set from it), so that a
// page cannot grant what the table does not: a page added with a list of
// roles of its own fails here.
func TestPagesTakeTheirRolesFromThePolicy(t *testing.T) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
	if err != nil {
		t.Fatal(err)
	}
	fromPolicy := map[string]bool{} // variables set from ledger.RolesFor
	var onlys []*ast.CallExpr
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for i, rhs := range n.Rhs {
						if isRolesFor(rhs) && i < len(n.Lhs) {
							fromPolicy[n.Lhs[i].(*ast.Ident).Name] = true
						}
					}
				case *ast.ValueSpec:
					for i, v := range n.Values {
						if isRolesFor(v) {
							fromPolicy[n.Names[i].Name] = true
						}
					}
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "only" && len(n.Args) > 0 {
						onlys = append(onlys, n)
					}
				}
				return true
			})
		}
	}
	if len(onlys) < 20 {
		t.Fatalf("found %d pages behind only(), want the page table's", len(onlys))
	}
	for _, call := range onlys {
		arg := call.Args[0]
		if id, ok := arg.(*ast.Ident); ok && (id.Name == "nil" || fromPolicy[id.Name]) {
			continue // nil: any signed-in role, the use case decides
		}
		if isRolesFor(arg) {
			continue
		}
		t.Errorf("%s: a page's roles do not come from ledger.RolesFor", fset.Position(call.Pos()))
	}
}

func isRolesFor(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "RolesFor"
}
