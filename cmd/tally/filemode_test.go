//go:build unix

package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
	"github.com/tallycredit/tally/sqlite"
)

// lockedWriter collects what serve writes from its goroutines.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// wantPrivate fails the test unless every file named exists with mode 0600.
func wantPrivate(t *testing.T, when string, paths ...string) {
	t.Helper()
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", when, err)
			continue
		}
		if got := st.Mode().Perm(); got != 0o600 {
			t.Errorf("%s: %s has mode %#o, want 0600", when, filepath.Base(p), got)
		}
	}
}

// The database, its -wal and -shm files, the identity key, the report
// signing key, and the credit reports and tally sheets written are
// readable by their owner only, whatever the umask.
func TestFilesAreCreatedPrivate(t *testing.T) {
	if _, err := report.FindFont(""); err != nil {
		t.Fatalf("serve makes the signing key only with a CJK font: %v", err)
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	t.Setenv("TALLY_SIGN_KEY_FILE", "")
	c := newCLI(t)
	c.ok("init")
	db := c.db
	wantPrivate(t, "after init", db, db+".key", db+".sign")

	// serve makes the signing key of a database that has none yet (one
	// made before reports were signed); its -wal and -shm files are
	// private too.
	bare := filepath.Join(t.TempDir(), "bare.db")
	store, err := sqlite.Open(context.Background(), bare)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	wantPrivate(t, "sqlite.Open", bare)
	writeFile(t, bare+".key", ledger.GenerateKey()+"\n")
	ctx, stop := context.WithCancel(context.Background())
	out, w := io.Pipe()
	exited := make(chan int, 1)
	var errOut lockedWriter
	go func() {
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", bare}, strings.NewReader(""), w, &errOut)
		w.Close()
	}()
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
		t.Fatalf("serve printed nothing: %v", err)
	}
	go io.Copy(io.Discard, out)
	wantPrivate(t, "while serving", bare, bare+"-wal", bare+"-shm", bare+".sign")
	stop()
	<-exited
	if !strings.Contains(errOut.String(), "generated a new report signing key") {
		t.Errorf("serve said %q, want that it made the signing key", errOut.String())
	}

	// What tally writes about people.
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--unit", "一组", "--consent")
	c.ok("close", "--scheme", "jiakuang-majia", "--period", "2025-06")
	dir := t.TempDir()
	sheet, pdf := filepath.Join(dir, "s.csv"), filepath.Join(dir, "r.pdf")
	c.ok("sheet", "--scheme", "jiakuang-majia", "--period", "2025-06", "--out", sheet)
	c.ok("report", "360426199101010071", "--purpose", "home loan", "--out", pdf)
	wantPrivate(t, "reports", sheet, pdf)
}
