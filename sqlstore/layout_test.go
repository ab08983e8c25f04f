package sqlstore_test

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDialectsShareNoCode holds the point of the package: SQL and logic
// that are the same on both engines live here, once. It fails when the
// non-test Go files of sqlite/ and postgres/ share a run of six or more
// lines (compared trimmed, blank lines and comments skipped), leaving out
// runs made only of punctuation and bare returns, which any two Go files
// share.
func TestDialectsShareNoCode(t *testing.T) {
	const run = 6
	sqlite, postgres := codeLines(t, "../sqlite"), codeLines(t, "../postgres")
	seen := map[string]string{}
	for i := 0; i+run <= len(sqlite); i++ {
		key, ok := window(sqlite[i : i+run])
		if ok {
			seen[key] = sqlite[i].where
		}
	}
	for i := 0; i+run <= len(postgres); i++ {
		key, ok := window(postgres[i : i+run])
		if where, dup := seen[key]; ok && dup {
			t.Errorf("%s repeats %s:\n%s", postgres[i].where, where, key)
			i += run - 1 // one report for one run
		}
	}
}

// line is a line of code and where it stands.
type line struct{ text, where string }

// codeLines returns the trimmed code lines of the non-test Go files of dir.
func codeLines(t *testing.T, dir string) []line {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	var out []line
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range strings.Split(string(b), "\n") {
			l = strings.TrimSpace(l)
			if l == "" || strings.HasPrefix(l, "//") {
				continue
			}
			out = append(out, line{text: l, where: filepath.Base(dir) + "/" + filepath.Base(f) + ":" + strconv.Itoa(i+1)})
		}
	}
	return out
}

// window joins lines into a key; ok is false for a run with no
// substantial line.
func window(ls []line) (key string, ok bool) {
	texts := make([]string, len(ls))
	for i, l := range ls {
		texts[i] = l.text
		switch l.text {
		case "}", ")", "{", "(", "})", "return nil", "return err", "} else {", "default:", "}, nil", "return nil, err":
		default:
			ok = true
		}
	}
	return strings.Join(texts, "\n"), ok
}
