package catalog

import (
	"strings"
	"testing"
)

// A catalogue that gives a key twice is refused, not silently cut to the
// last.
func TestCatalogueRefusesADuplicateKey(t *testing.T) {
	if _, err := Decode([]byte(`{"a": "one", "b": "two", "a": "three"}`)); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("a key given twice: %v, want an error naming it", err)
	}
	if _, err := Decode([]byte(`{"a": 1}`)); err == nil {
		t.Error("a number as a text: no error")
	}
}

// Every key of the catalogues has a text in both Chinese and English, and
// no text is blank: a reader never meets an empty label.
func TestEveryCatalogueKeyHasBothLanguagesAndNoBlankText(t *testing.T) {
	msgs, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs["zh"]) < 100 {
		t.Fatalf("the Chinese catalogue has only %d keys", len(msgs["zh"]))
	}
	for _, lang := range Languages {
		for key, text := range msgs[lang] {
			if strings.TrimSpace(text) == "" {
				t.Errorf("messages/%s.json: %q is blank", lang, key)
			}
			for _, other := range Languages {
				if _, ok := msgs[other][key]; !ok {
					t.Errorf("messages/%s.json has %q, messages/%s.json lacks it", lang, key, other)
				}
			}
		}
	}
}

// A catalogue missing a key in one language is refused when the pages load.
func TestMissingKeysAreListed(t *testing.T) {
	zh := Catalogue{"a": "甲", "b": "乙"}
	en := Catalogue{"a": "A"}
	if got := MissingKeys(zh, en); len(got) != 1 || got[0] != "b" {
		t.Errorf("missing keys: %v, want [b]", got)
	}
}

// A reader who states no language, or one the catalogue lacks, reads
// Chinese; English is chosen by any English tag.
func TestChineseUnlessEnglishIsAsked(t *testing.T) {
	for header, want := range map[string]string{
		"": "zh", "zh-CN": "zh", "en-US,en;q=0.9": "en", "fr-FR": "zh", "de, en;q=0.5": "en", "%%%": "zh",
	} {
		if got := Negotiate(header); got != want {
			t.Errorf("Accept-Language %q: %s, want %s", header, got, want)
		}
	}
	for tag, want := range map[string]string{"": "zh", "en": "en", "EN_us.UTF-8": "en", "zh_CN.UTF-8": "zh", "C": "zh"} {
		if got := Pick(tag); got != want {
			t.Errorf("Pick(%q) = %s, want %s", tag, got, want)
		}
	}
	set := MustLoad()
	if set.In("en-GB")["error.internal"] == set.In("")["error.internal"] {
		t.Error("English and Chinese read the same for error.internal")
	}
}
