package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every text a template or handler asks for by a fixed key is in the
// catalogues (which New already checks have the same keys in both
// languages), so no page shows a "{key}" placeholder.
func TestEveryKeyUsedIsInTheCatalogues(t *testing.T) {
	msgs, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]string{}
	keyInTemplate := regexp.MustCompile(`\bt "([a-z_.-]+)"`)
	err = fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := templateFiles.ReadFile(path)
		for _, m := range keyInTemplate.FindAllStringSubmatch(string(src), -1) {
			used[m[1]] = path
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	keyInGo := regexp.MustCompile(`translate\("([a-z_.-]+)"`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyInGo.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") {
				used[m[1]] = f
			}
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the patterns no longer match the templates", len(used))
	}
	for key, where := range used {
		if _, ok := msgs["zh"][key]; !ok {
			t.Errorf("%s uses %q, which the catalogues lack", where, key)
		}
	}
}

// A catalogue that gives a key twice is refused, not silently cut to the
// last.
func TestCatalogueRefusesADuplicateKey(t *testing.T) {
	if _, err := decodeCatalogue([]byte(`{"a": "one", "b": "two", "a": "three"}`)); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("a key given twice: %v, want an error naming it", err)
	}
	if _, err := decodeCatalogue([]byte(`{"a": 1}`)); err == nil {
		t.Error("a number as a text: no error")
	}
}

// Every key of the catalogues has a text in both Chinese and English, and
// no text is blank: a reader never meets an empty label.
func TestEveryCatalogueKeyHasBothLanguagesAndNoBlankText(t *testing.T) {
	msgs, err := loadCatalogues()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs["zh"]) < 100 {
		t.Fatalf("the Chinese catalogue has only %d keys", len(msgs["zh"]))
	}
	for _, lang := range languages {
		for key, text := range msgs[lang] {
			if strings.TrimSpace(text) == "" {
				t.Errorf("messages/%s.json: %q is blank", lang, key)
			}
			for _, other := range languages {
				if _, ok := msgs[other][key]; !ok {
					t.Errorf("messages/%s.json has %q, messages/%s.json lacks it", lang, key, other)
				}
			}
		}
	}
}

// A catalogue missing a key in one language is refused when the pages load.
func TestMissingKeysAreListed(t *testing.T) {
	zh := catalogue{"a": "甲", "b": "乙"}
	en := catalogue{"a": "A"}
	if got := missingKeys(zh, en); len(got) != 1 || got[0] != "b" {
		t.Errorf("missing keys: %v, want [b]", got)
	}
}
