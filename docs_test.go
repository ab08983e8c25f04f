package tally_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every relative link in the README and in docs/ names a file that
// exists and, with a #fragment, a heading of that file: moving a section
// from one document to another must move its links too.
func TestDocLinksResolve(t *testing.T) {
	docs, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range append([]string{"README.md"}, docs...) {
		text := mustRead(t, doc)
		for _, m := range markdownLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, fragment, _ := strings.Cut(target, "#")
			path := doc
			if file != "" {
				path = filepath.Join(filepath.Dir(doc), file)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("%s links to %s, which does not exist", doc, target)
				continue
			}
			if fragment != "" && !hasHeading(t, path, fragment) {
				t.Errorf("%s links to %s, but %s has no heading #%s", doc, target, path, fragment)
			}
		}
	}
}

// markdownLink matches an inline link's target: [text](target).
var markdownLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// hasHeading reports whether the Markdown file at path has a heading whose
// anchor, made as GitHub makes it, is fragment.
func hasHeading(t *testing.T, path, fragment string) bool {
	t.Helper()
	for _, line := range strings.Split(mustRead(t, path), "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		if anchor(strings.TrimLeft(line, "#")) == fragment {
			return true
		}
	}
	return false
}

// anchor turns a heading into its link fragment: lower case, spaces to
// hyphens, punctuation dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 0x7f:
			b.WriteRune(r)
		}
	}
	return b.String()
}
