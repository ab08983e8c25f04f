package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"

	"golang.org/x/text/language"
)

// The page languages: Simplified Chinese first, as most users read it.
var languages = []string{"zh", "en"}

// matcher picks a page language from the browser's Accept-Language.
var matcher = language.NewMatcher([]language.Tag{language.SimplifiedChinese, language.English})

//go:embed messages/*.json
var messageFiles embed.FS

// catalogue holds every text a page shows, by key, in one language. All
// strings are in messages/<lang>.json, never in templates or handlers.
type catalogue map[string]string

// loadCatalogues reads the message files and checks that every language
// has exactly the same keys, so that no page is half translated.
func loadCatalogues() (map[string]catalogue, error) {
	out := map[string]catalogue{}
	for _, lang := range languages {
		raw, err := messageFiles.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		c, err := decodeCatalogue(raw)
		if err != nil {
			return nil, fmt.Errorf("messages/%s.json: %w", lang, err)
		}
		out[lang] = c
	}
	for _, lang := range languages[1:] {
		if missing := missingKeys(out[languages[0]], out[lang]); len(missing) > 0 {
			return nil, fmt.Errorf("messages/%s.json lacks %v", lang, missing)
		}
		if extra := missingKeys(out[lang], out[languages[0]]); len(extra) > 0 {
			return nil, fmt.Errorf("messages/%s.json lacks %v", languages[0], extra)
		}
	}
	return out, nil
}

// decodeCatalogue reads a flat JSON object of strings, refusing a key
// given twice (encoding/json would silently keep the last).
func decodeCatalogue(raw []byte) (catalogue, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("want an object of texts")
	}
	c := catalogue{}
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

// missingKeys lists the keys of a that b lacks, sorted.
func missingKeys(a, b catalogue) []string {
	var out []string
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// langCookie keeps the language a person chose with the switch.
const langCookie = "tally_lang"

// pageLanguage is the language chosen with the switch, else the
// browser's preference, else Chinese.
func pageLanguage(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		for _, l := range languages {
			if c.Value == l {
				return l
			}
		}
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return languages[0]
	}
	_, i, _ := matcher.Match(tags...)
	return languages[i]
}

// translateOr returns the text of key, or fallback when the catalogue has
// none: for words that come from data, such as access-log actions.
func (c catalogue) translateOr(key, fallback string) string {
	if s, ok := c[key]; ok {
		return s
	}
	return fallback
}

// translate returns the text of key in lang, formatted with args. A
// missing key shows itself, so that a gap is visible rather than blank.
func (c catalogue) translate(key string, args ...any) string {
	s, ok := c[key]
	if !ok {
		return "{" + key + "}"
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}
