package web

import (
	"github.com/tallycredit/tally/catalog"
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
	msgs, err := catalog.Load()
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
	keyInGo := regexp.MustCompile(`\bText\("([a-z_.-]+)"`)
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
