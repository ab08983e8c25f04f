package catalog

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var missingOut = flag.String("missing", "", "write the error formats lacking Chinese to this file, as JSON to fill in")

// module is the import path of the module, whose root is the parent of
// this package.
const module = "github.com/tallycredit/tally"

// notForPeople are the printf-like functions of the module whose text is
// not an error a person reads: the CLI's progress line and the contract
// suite's test failures.
var notForPeople = map[string]bool{
	"cmd/tally.show":   true,
	"storetest.errorf": true,
}

// errorFormat is one English format given to an error constructor, and
// where.
type errorFormat struct {
	format string
	at     string // file:line
}

// sourceFiles parses every non-test .go file of the module, by its folder
// relative to the root ("." for the root package).
func sourceFiles(t *testing.T, fset *token.FileSet) map[string][]*ast.File {
	t.Helper()
	out := map[string][]*ast.File{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", filepath.Dir(path))
		out[filepath.ToSlash(rel)] = append(out[filepath.ToSlash(rel)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// formatIndex is the position of the format parameter of a printf-like
// function (its last two parameters are "format string, args ...any"),
// or -1.
func formatIndex(ft *ast.FuncType) int {
	var names []string
	var types []ast.Expr
	for _, p := range ft.Params.List {
		for _, n := range p.Names {
			names = append(names, n.Name)
			types = append(types, p.Type)
		}
	}
	n := len(names)
	if n < 2 || names[n-2] != "format" {
		return -1
	}
	if id, ok := types[n-2].(*ast.Ident); !ok || id.Name != "string" {
		return -1
	}
	if _, ok := types[n-1].(*ast.Ellipsis); !ok {
		return -1
	}
	return n - 2
}

// isTranslator reports whether a parameter's type is tally.Translator.
func isTranslator(dir string, e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return dir == "." && e.Name == "Translator"
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "tally" && e.Sel.Name == "Translator"
	}
	return false
}

// codeFormats finds every literal English format the module's code gives
// to a function that makes an error a person reads: tally.Errorf,
// tally.FieldErrorf, every printf-like function of the module (such as
// the rulebook's problems and the import rows' faults, which all end in
// one of these) and the tally.Translator an error renders itself with.
func codeFormats(t *testing.T) []errorFormat {
	fset := token.NewFileSet()
	files := sourceFiles(t, fset)
	constructors := map[string]int{} // dir.name → index of the format
	for dir, fs := range files {
		for _, f := range fs {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok {
					if i := formatIndex(fd.Type); i >= 0 && !notForPeople[dir+"."+fd.Name.Name] {
						constructors[dir+"."+fd.Name.Name] = i
					}
				}
			}
		}
	}
	var out []errorFormat
	for dir, fs := range files {
		for _, f := range fs {
			imports := map[string]string{}
			for _, im := range f.Imports {
				p, _ := strconv.Unquote(im.Path.Value)
				rel, ok := strings.CutPrefix(p, module)
				if !ok {
					continue
				}
				name := p[strings.LastIndex(p, "/")+1:]
				if im.Name != nil {
					name = im.Name.Name
				}
				imports[name] = strings.TrimPrefix(rel, "/")
				if imports[name] == "" {
					imports[name] = "."
				}
			}
			found := func(call *ast.CallExpr, i int) {
				if i >= len(call.Args) {
					return
				}
				lit, ok := call.Args[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				p := fset.Position(lit.Pos())
				out = append(out, errorFormat{format: s, at: fmt.Sprintf("%s:%d", strings.TrimPrefix(filepath.ToSlash(p.Filename), "../"), p.Line)})
			}
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Body == nil {
					continue
				}
				translators := map[string]bool{}
				for _, p := range fd.Type.Params.List {
					if isTranslator(dir, p.Type) {
						for _, n := range p.Names {
							translators[n.Name] = true
						}
					}
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					switch fn := call.Fun.(type) {
					case *ast.Ident:
						if translators[fn.Name] {
							found(call, 0)
						} else if i, ok := constructors[dir+"."+fn.Name]; ok {
							found(call, i)
						}
					case *ast.SelectorExpr:
						key := dir + "." + fn.Sel.Name
						if x, ok := fn.X.(*ast.Ident); ok && imports[x.Name] != "" {
							key = imports[x.Name] + "." + fn.Sel.Name
						}
						if i, ok := constructors[key]; ok {
							found(call, i)
						}
					}
					return true
				})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// onlyVerbs reports whether a format has nothing to translate, such as
// "%s".
func onlyVerbs(format string) bool {
	for _, v := range verbsOf(format) {
		format = strings.Replace(format, v.text, "", 1)
	}
	return strings.TrimSpace(format) == ""
}

// verb is one formatting verb of a format: the argument it takes (from
// 0), its letter and its text.
type verb struct {
	arg    int
	letter rune
	text   string
}

// verbsOf lists the verbs of a format as fmt reads them, with explicit
// argument indexes such as %[2]s.
func verbsOf(format string) []verb {
	var out []verb
	next := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		start := i
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		arg := next
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end > 0 {
				if n, err := strconv.Atoi(format[i+1 : i+end]); err == nil {
					arg = n - 1
				}
				i += end + 1
			}
		}
		for i < len(format) && (format[i] == '.' || (format[i] >= '0' && format[i] <= '9')) {
			i++
		}
		if i >= len(format) {
			break
		}
		if format[i] == '%' {
			continue
		}
		out = append(out, verb{arg: arg, letter: rune(format[i]), text: format[start : i+1]})
		next = arg + 1
	}
	return out
}

// compatible reports whether a translation uses the arguments of an
// English format the same way: each argument once or more, none other,
// with a verb of the same kind (%s, %q and %v are all text).
func compatible(en, tr string) error {
	kind := func(r rune) rune {
		switch r {
		case 's', 'q', 'v':
			return 's'
		}
		return r
	}
	want := map[int]rune{}
	for _, v := range verbsOf(en) {
		want[v.arg] = kind(v.letter)
	}
	got := map[int]rune{}
	for _, v := range verbsOf(tr) {
		k, ok := want[v.arg]
		if !ok {
			return fmt.Errorf("%s takes argument %d, which the English does not give", v.text, v.arg+1)
		}
		if kind(v.letter) != k {
			return fmt.Errorf("%s takes argument %d, which the English formats as %%%c", v.text, v.arg+1, k)
		}
		got[v.arg] = k
	}
	for arg := range want {
		if _, ok := got[arg]; !ok {
			return fmt.Errorf("argument %d is not shown", arg+1)
		}
	}
	return nil
}

// Every English format an error a person reads is made from has a Chinese
// translation in catalog/errors/zh.json with the same arguments, and the
// table has no format that no code uses any more.
func TestEveryErrorFormatIsTranslated(t *testing.T) {
	zh := errorFormats()["zh"]
	used := map[string]bool{}
	missing := map[string]string{}
	var lacking []string
	for _, f := range codeFormats(t) {
		used[f.format] = true
		if onlyVerbs(f.format) {
			continue
		}
		if _, ok := zh[f.format]; !ok {
			lacking = append(lacking, fmt.Sprintf("%s: %q", f.at, f.format))
			missing[f.format] = ""
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d error formats in the code: the search is broken", len(used))
	}
	if len(lacking) > 0 {
		t.Errorf("%d error formats have no Chinese in catalog/errors/zh.json (add each, keyed by the English format):\n%s\n"+
			"list them all with: go test ./catalog -run TestEveryErrorFormatIsTranslated -args -missing=/tmp/missing.json",
			len(lacking), strings.Join(lacking, "\n"))
	}
	if *missingOut != "" {
		b, _ := json.MarshalIndent(missing, "", "  ")
		if err := os.WriteFile(*missingOut, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stale []string
	for en, text := range zh {
		if !used[en] {
			stale = append(stale, fmt.Sprintf("%q", en))
		}
		if strings.TrimSpace(text) == "" {
			t.Errorf("errors/zh.json: %q is blank", en)
		} else if err := compatible(en, text); err != nil {
			t.Errorf("errors/zh.json: %q → %q: %v", en, text, err)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("errors/zh.json translates %d formats no code uses any more; remove them:\n%s", len(stale), strings.Join(stale, "\n"))
	}
}

// A translation must show the English format's arguments, each with a
// verb of its kind, and no other.
func TestTranslationsKeepTheArguments(t *testing.T) {
	for _, tc := range []struct {
		en, zh string
		ok     bool
	}{
		{"no rule %q in scheme %s", "方案 %[2]s 中没有规则 %[1]q", true},
		{"%d of %s", "%[2]s 的 %[1]d", true},
		{"no rule %q in scheme %s", "没有规则 %q", false},
		{"no rule %q", "没有规则 %q（%s）", false},
		{"line %d", "第 %s 行", false},
		{"100%% of %d", "%d 的百分之百", true},
	} {
		if err := compatible(tc.en, tc.zh); (err == nil) != tc.ok {
			t.Errorf("%q → %q: %v, want ok %v", tc.en, tc.zh, err, tc.ok)
		}
	}
}
