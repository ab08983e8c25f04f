package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally/internal/texttest"
)

// printingCalls are the calls whose text reaches the operator, with the
// index of their format or message argument.
var printingCalls = map[string]int{
	"tally.Errorf": 1, "tally.FieldErrorf": 1, "fmt.Errorf": 0, "errors.New": 0,
	"fmt.Fprintf": 1, "fmt.Fprintln": 1, "fmt.Fprint": 1, "fmt.Sprintf": 0,
}

// literalAllowed are the files whose English literals are on purpose,
// with the reason.
var literalAllowed = map[string]string{
	"reference.go":    "writes docs/CLI.md, which is in English, and its errors are for the developer who runs its test",
	"descriptions.go": "the English descriptions of docs/CLI.md",
}

// textAllowed are single literals in English on purpose, with the reason.
var textAllowed = map[string]string{
	"exit status %d": "exitStatus.Error, never printed: run exits with the code and prints only the error it carries",
	"%d per %s":      "a rule's cap in rules show --json: machine output, like the rule's code",
}

// formatVerb is a fmt verb with its flags, width and argument index.
var formatVerb = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*(\d+|\*)?(\.\d+)?[a-zA-Z%]`)

// urlScheme starts an address the operator is shown.
var urlScheme = regexp.MustCompile(`https?://`)

// englishWord is a word of two or more letters.
var englishWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// commandLines are what may stand in an operator's text as typed: lines
// that are each a command line, such as those the demo suggests.
var commandLines = regexp.MustCompile(`^(\s*(go run \./cmd/tally|tally) [^\n]*\n?)+$`)

// Every error cmd/tally raises and every line it prints takes its words
// from the catalogue: no format or message literal holds an English word
// (identifiers passed as arguments are the catalogue texts' business).
func TestOperatorTextsComeFromTheCatalogue(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || literalAllowed[name] != "" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			at, ok := printingCalls[pkg.Name+"."+sel.Sel.Name]
			if !ok || at >= len(call.Args) {
				return true
			}
			checked++
			for _, arg := range call.Args[at:] {
				ast.Inspect(arg, func(n ast.Node) bool {
					if _, nested := n.(*ast.CallExpr); nested {
						return false // a catalogue key, or a call checked on its own
					}
					lit, ok := n.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						return true
					}
					text, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					if commandLines.MatchString(text) || textAllowed[text] != "" {
						return true
					}
					plain := urlScheme.ReplaceAllString(formatVerb.ReplaceAllString(text, " "), " ")
					if w := englishWord.FindString(plain); w != "" && w != "tally" {
						t.Errorf("%s: %s(%s): the English word %q; say it with a cli.* catalogue key", fset.Position(lit.Pos()), pkg.Name+"."+sel.Sel.Name, lit.Value, w)
					}
					return true
				})
			}
			return true
		})
	}
	if checked < 50 {
		t.Errorf("only %d printing calls checked", checked)
	}
}

// The help of every command line, flags included, is in Chinese by
// default and in English with --lang en.
func TestEveryCommandsHelpInTheOperatorsLanguage(t *testing.T) {
	lines, err := describe()
	if err != nil {
		t.Fatal(err)
	}
	c := chineseCLI(t)
	phrases := chinesePhrases()
	for _, u := range lines {
		args := append(strings.Fields(u.name), "-h")
		allowed := map[string]bool{"tally": true}
		for _, w := range strings.Fields(u.name) {
			allowed[w] = true
		}
		_, out, errOut := c.run(args...)
		if !containsHan(errOut) {
			t.Errorf("tally %s -h: no Chinese\n%s%s", u.name, out, errOut)
		}
		for _, s := range texttest.EnglishSentences(errOut, allowed) {
			t.Errorf("tally %s -h: English sentence %q", u.name, s)
		}
		_, _, errOut = c.run(append(args, "--lang", "en")...)
		errOut = withoutQuotedChinese(errOut)
		for _, p := range phrases {
			if strings.Contains(errOut, p) {
				t.Errorf("tally %s -h --lang en: Chinese %q in\n%s", u.name, p, errOut)
			}
		}
	}
}

// The errors tally raises itself, before or while opening the database,
// are Chinese by default and English with --lang en, naming what is at
// fault.
func TestCLIErrorsInTheOperatorsLanguage(t *testing.T) {
	c := chineseCLI(t)
	missing := filepath.Join(t.TempDir(), "nowhere.yaml")
	phrases := chinesePhrases()
	for _, tc := range []struct {
		args  []string
		code  int
		names string // what the message must name in both languages
	}{
		{[]string{"score", "x", "--scheme", "s"}, exitNotFound, c.db},
		{[]string{"rules", "lint", missing}, exitNotFound, missing},
		{[]string{"publication", "x", "--scheme", "s"}, exitInvalid, "yes"},
		{[]string{"notices", "send", "--smtp", "mail.example"}, exitInvalid, "mail.example"},
		{[]string{"notices", "contact", "--email", "a@example.org"}, exitInvalid, "subject"},
		{[]string{"repair", "decide", "first", "--approve"}, exitInvalid, "first"},
		{[]string{"review", "approve", "first"}, exitInvalid, "first"},
		{[]string{"gen"}, exitInvalid, "out"},
		{[]string{"gen", "--out", t.TempDir(), "--end", "soon"}, exitInvalid, "soon"},
		{[]string{"copy", "--to", "postgres://x/y"}, exitInvalid, "from"},
		{[]string{"copy", "--from", "a.db"}, exitInvalid, "to"},
		{[]string{"close", "--period", "2026-01"}, exitInvalid, "scheme"},
		{[]string{"report", "x"}, exitInvalid, "out"},
	} {
		line := "tally " + strings.Join(tc.args, " ")
		code, out, errOut := c.run(tc.args...)
		if code != tc.code || !containsHan(errOut) || !strings.Contains(errOut, tc.names) {
			t.Errorf("%s: exit %d, want %d and Chinese naming %q\n%s%s", line, code, tc.code, tc.names, out, errOut)
		}
		for _, s := range texttest.EnglishSentences(errOut, nil) {
			t.Errorf("%s: English sentence %q", line, s)
		}
		code, _, errOut = c.run(append(tc.args, "--lang", "en")...)
		if code != tc.code || !strings.Contains(errOut, tc.names) || containsAny(errOut, phrases) {
			t.Errorf("%s --lang en: exit %d, want %d and English naming %q\n%s", line, code, tc.code, tc.names, errOut)
		}
	}
}
