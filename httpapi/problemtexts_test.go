package httpapi

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
)

// Every code the API answers with (each in the one code-to-status map)
// has a title and a detail in every language, so no problem reads as a
// bare key or in the wrong language.
func TestEveryProblemCodeHasItsTexts(t *testing.T) {
	for code := range statusOf {
		for _, lang := range catalog.Languages {
			for _, key := range []string{"problem.title." + code, "problem.detail." + code} {
				if _, ok := texts[lang][key]; !ok {
					t.Errorf("code %s: %s has no %s", code, lang, key)
				}
			}
			p := problemOf(&tally.Error{Code: tally.ErrorCode(code), Message: "m"}, lang)
			if strings.Contains(p.Title+p.Detail, "{") || p.Status != statusOf[code] || p.Code != code {
				t.Errorf("code %s in %s: %d %s %q %q, want status %d with its title and detail", code, lang, p.Status, p.Code, p.Title, p.Detail, statusOf[code])
			}
		}
	}
}

// Every problem text the HTTP layer names in its source is in the
// catalogue in every language.
func TestEveryProblemKeyIsInTheCatalogue(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`"(problem\.[a-z_]+)"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(src), -1) {
			seen++
			for _, lang := range catalog.Languages {
				if _, ok := texts[lang][m[1]]; !ok {
					t.Errorf("%s names %s, which %s lacks", f, m[1], lang)
				}
			}
		}
	}
	if seen < 20 {
		t.Errorf("found %d problem keys in the source, want every newProblem's", seen)
	}
	if p := problemOf(errors.New("disk on fire"), "zh"); strings.Contains(p.Detail, "fire") {
		t.Errorf("an internal error's detail %q tells its cause", p.Detail)
	}
}
