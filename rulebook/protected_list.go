package rulebook

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/tallycredit/tally"
)

// protectedYAML is the list of protected activities and the words that
// name them; docs/RULEBOOK.md says how to propose a word.
//
//go:embed protected.yaml
var protectedYAML []byte

// protected is the parsed list. The file is part of the program, so a
// fault in it is a fault of the build, which the tests catch.
var protected = mustParseProtected(protectedYAML)

// wordList is one protected activity (or minors) and the words that name
// it, with the ordinary phrases that contain a word but do not name it.
type wordList struct {
	Name  tally.Text
	Why   string
	Basis tally.Text
	Zh    []string // matched in the folded text (see reading)
	En    []string // matched as whole words
	Allow []string // blanked before this list's words are matched

	zhKeys, enKeys       []string // the words as the match reads them
	allowHan, allowLatin []string
}

// protectedWords is the file protected.yaml: the activities, in the order
// they are matched, and the table that folds traditional and variant
// characters to the simplified ones the words use.
type protectedWords struct {
	Activities []wordList
	Fold       map[rune]rune
}

// parseProtected parses and checks a list of protected activities: every
// activity has a name in both languages, a reason, a basis and at least
// one word; every word is written as the match reads it and appears once;
// the fold table maps single characters to other single characters that
// are not folded again.
func parseProtected(src []byte) (protectedWords, error) {
	var file struct {
		Activities []wordList
		Fold       map[string]string
	}
	if err := decodeStrict(src, &file); err != nil {
		return protectedWords{}, err
	}
	w := protectedWords{Activities: file.Activities}
	lists := make([]*wordList, len(w.Activities))
	for i := range w.Activities {
		lists[i] = &w.Activities[i]
	}
	var err error
	w.Fold, err = compileWordFile("activity", lists, file.Fold)
	return w, err
}

// decodeStrict decodes one YAML document into v, refusing unknown fields.
func decodeStrict(src []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// compileWordFile checks a word file's fold table and compiles its lists
// (named what in errors), of which there must be at least one.
func compileWordFile(what string, lists []*wordList, table map[string]string) (map[rune]rune, error) {
	fold, err := parseFold(table)
	if err != nil {
		return fold, err
	}
	if len(lists) == 0 {
		return fold, fmt.Errorf("no %s", what)
	}
	return fold, protectedWords{Fold: fold}.compileLists(what, lists)
}

// parseFold checks a fold table: single characters to other single
// characters that are not folded again.
func parseFold(table map[string]string) (map[rune]rune, error) {
	fold := map[rune]rune{}
	for from, to := range table {
		f, t := []rune(from), []rune(to)
		if len(f) != 1 || len(t) != 1 || f[0] == t[0] {
			return fold, fmt.Errorf("fold %q: %q: want one character to another", from, to)
		}
		fold[f[0]] = t[0]
	}
	for from, to := range fold {
		if _, ok := fold[to]; ok {
			return fold, fmt.Errorf("fold %c: %c is folded again; fold to the simplified form", from, to)
		}
	}
	return fold, nil
}

// compileLists checks and compiles word lists (named what in errors):
// every list has a name in both languages, a reason, a basis and at least
// one word, and every word appears once across them.
func (w protectedWords) compileLists(what string, lists []*wordList) error {
	seen := map[string]string{}
	for i, a := range lists {
		if a.Name.Zh == "" || a.Name.En == "" || a.Why == "" || a.Basis.Zh == "" || a.Basis.En == "" {
			return fmt.Errorf("%s %d (%s): want a name, why and basis, in Chinese and English", what, i+1, a.Name.En)
		}
		if len(a.Zh)+len(a.En) == 0 {
			return fmt.Errorf("%s %s: no words", what, a.Name.En)
		}
		if err := w.compile(a); err != nil {
			return fmt.Errorf("%s %s: %w", what, a.Name.En, err)
		}
		for _, k := range append(append([]string{}, a.zhKeys...), a.enKeys...) {
			if prev, ok := seen[k]; ok {
				return fmt.Errorf("%q is listed twice (under %s and %s)", strings.TrimSpace(k), prev, a.Name.En)
			}
			seen[k] = a.Name.En
		}
	}
	return nil
}

func mustParseProtected(src []byte) protectedWords {
	w, err := parseProtected(src)
	if err != nil {
		panic("rulebook: protected.yaml: " + err.Error())
	}
	return w
}

// compile prepares l's words and allowed phrases for matching; a word or
// phrase not written as the match reads it is an error, since it would
// read differently from the list.
func (w protectedWords) compile(l *wordList) error {
	l.zhKeys, l.enKeys, l.allowHan, l.allowLatin = nil, nil, nil, nil
	for _, k := range l.Zh {
		key := w.read(k).han
		if key == "" || key != strings.ToLower(k) {
			return fmt.Errorf("%q: write it in simplified characters, without spaces or punctuation", k)
		}
		l.zhKeys = append(l.zhKeys, key)
	}
	for _, k := range l.En {
		key := words(k)
		if key != " "+k+" " {
			return fmt.Errorf("%q: write it in lower-case letters and digits, with single spaces", k)
		}
		l.enKeys = append(l.enKeys, key)
	}
	for _, p := range l.Allow {
		switch {
		case p == "":
			return errors.New("an empty allowed phrase")
		case isASCII(p) && words(p) == " "+p+" ":
			l.allowLatin = append(l.allowLatin, words(p))
		case !isASCII(p) && w.read(p).han == p:
			l.allowHan = append(l.allowHan, p)
		default:
			return fmt.Errorf("allowed phrase %q: write it as the words are written", p)
		}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
