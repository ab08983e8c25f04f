// Package catalog is the one message catalogue of tally: every text a
// person reads on a page, in an API problem, on paper or from an operator's
// command comes from catalog/messages/<lang>.json by key, in Simplified
// Chinese (the default) and English. It does no I/O beyond its embedded
// files.
package catalog

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// Languages are the catalogue's languages, Simplified Chinese first: the
// language of whoever does not say otherwise.
var Languages = []string{"zh", "en"}

// Default is the language used when a reader states none.
const Default = "zh"

var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

//go:embed messages/*.json
var files embed.FS

// Catalogue holds every text in one language, by key.
type Catalogue map[string]string

// Set is the catalogue of each language.
type Set map[string]Catalogue

// Load reads the message files and checks that every language has exactly
// the same keys, so that nothing is half translated.
func Load() (Set, error) {
	out := Set{}
	for _, lang := range Languages {
		raw, err := files.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		c, err := Decode(raw)
		if err != nil {
			return nil, fmt.Errorf("messages/%s.json: %w", lang, err)
		}
		out[lang] = c
	}
	for _, lang := range Languages[1:] {
		if missing := MissingKeys(out[Languages[0]], out[lang]); len(missing) > 0 {
			return nil, fmt.Errorf("messages/%s.json lacks %v", lang, missing)
		}
		if extra := MissingKeys(out[lang], out[Languages[0]]); len(extra) > 0 {
			return nil, fmt.Errorf("messages/%s.json lacks %v", Languages[0], extra)
		}
	}
	return out, nil
}

// MustLoad is Load for package initialisation: the files are embedded, so
// an error is a defect of the build, caught by the catalogue's own tests.
func MustLoad() Set {
	s, err := Load()
	if err != nil {
		panic(err)
	}
	return s
}

// In returns the catalogue of lang ("zh", "en", or a tag starting with
// either), Chinese when lang is neither.
func (s Set) In(lang string) Catalogue {
	return s[Pick(lang)]
}

// Pick returns the catalogue language a tag names: "en" for tags starting
// with "en", otherwise Chinese.
func Pick(lang string) string {
	if strings.HasPrefix(strings.ToLower(lang), "en") {
		return "en"
	}
	return Default
}

// Negotiate picks a language from an Accept-Language header, Chinese when
// the header is empty, malformed or names neither language.
func Negotiate(acceptLanguage string) string {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Default
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return Default
	}
	return Languages[i]
}

// Decode reads a flat JSON object of strings, refusing a key given twice
// (encoding/json would silently keep the last).
func Decode(raw []byte) (Catalogue, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want an object of texts")
	}
	c := Catalogue{}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var text string
		if err := dec.Decode(&text); err != nil {
			return nil, fmt.Errorf("%v: %w", key, err)
		}
		k := key.(string)
		if _, dup := c[k]; dup {
			return nil, fmt.Errorf("%q is given twice", k)
		}
		c[k] = text
	}
	return c, nil
}

// MissingKeys lists the keys of a that b lacks, sorted.
func MissingKeys(a, b Catalogue) []string {
	var out []string
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// TextOr returns the text of key, or fallback when the catalogue has none:
// for words that come from data, such as access-log actions.
func (c Catalogue) TextOr(key, fallback string) string {
	if s, ok := c[key]; ok {
		return s
	}
	return fallback
}

// Text returns the text of key formatted with args. A missing key shows
// itself, so that a gap is visible rather than blank.
func (c Catalogue) Text(key string, args ...any) string {
	s, ok := c[key]
	if !ok {
		return "{" + key + "}"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
