package rulebook_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tallycredit/tally/rulebook"
)

// Load never panics, and returns a book exactly when it reports no error.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("../examples/*.yaml")
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("scheme: x\nrules: [{code: a, points: '1/0'}]"))
	f.Add([]byte("{{{"))
	f.Fuzz(func(t *testing.T, src []byte) {
		book, report := rulebook.Load("fuzz.yaml", src)
		if (book != nil) != (report.Err() == nil) {
			t.Errorf("book %v with errors %v: want a book exactly when there is no error", book != nil, report.Err())
		}
	})
}
