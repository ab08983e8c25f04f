// Package docsection keeps a generated part of a Markdown document equal
// to what the code generates, so a document cannot drift from the code it
// shows. Tests call Check; their -update flag rewrites the part instead.
package docsection

import (
	"bytes"
	"os"
	"testing"
)

// Check fails t unless the text of the file at path between the lines
// "<!-- name:begin -->" and "<!-- name:end -->" is want. With update it
// writes want there instead. regenerate is the command a reader runs to
// bring the document up to date; the failure names it.
func Check(t testing.TB, path, name, want string, update bool, regenerate string) {
	t.Helper()
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(doc, []byte(begin)), bytes.Index(doc, []byte(end))
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q section", path, begin, end)
	}
	if string(doc[i+len(begin):j]) == want {
		return
	}
	if !update {
		t.Errorf("%s: the %s section differs from what the code generates: run %s", path, name, regenerate)
		return
	}
	out := append(append(append([]byte{}, doc[:i+len(begin)]...), want...), doc[j:]...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
}
