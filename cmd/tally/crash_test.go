//go:build linux

package main

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to look into a PostgreSQL store
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// The crash data: enough rows for several import batches and several
// close pages, so that a kill can land between two of them.
const (
	crashPersons = 25000
	crashRecords = 50000
	crashScheme  = "rongcheng-city"
	crashPeriod  = "2026-10"
)

// kill -9 in the middle of a large import or a close loses and duplicates
// nothing on a SQLite file, and running the command again completes it
// as if it had never been stopped.
func TestKillDuringImportAndCloseSQLite(t *testing.T) {
	dir := t.TempDir()
	n := 0
	testKillDuringImportAndClose(t, crashStore{
		driver: "sqlite",
		fresh: func(t *testing.T) string {
			n++
			return filepath.Join(dir, fmt.Sprintf("tally-%d.db", n))
		},
		clone: func(t *testing.T, from string) string {
			n++
			to := filepath.Join(dir, fmt.Sprintf("tally-%d.db", n))
			copyFile(t, from, to)
			return to
		},
	})
}

// The same on PostgreSQL.
func TestKillDuringImportAndClosePostgres(t *testing.T) {
	testKillDuringImportAndClose(t, crashStore{driver: "pgx", fresh: func(t *testing.T) string { return pgtest.Fresh(t) }, clone: pgClone})
}

// crashStore makes the databases of a crash test: an empty one, and a copy
// of one that no process has open.
type crashStore struct {
	driver string // database/sql driver to look into it
	fresh  func(t *testing.T) string
	clone  func(t *testing.T, from string) string
}

func testKillDuringImportAndClose(t *testing.T, st crashStore) {
	r := newRig(t)
	files := t.TempDir()
	r.ok("", "gen", "--out", files, "--persons", strconv.Itoa(crashPersons), "--shops", "100",
		"--records", strconv.Itoa(crashRecords), "--list-entries", "10", "--end", "2026-11-01")
	base := st.fresh(t)
	r.ok(base, "init")
	r.ok(base, "rules", "publish", "../../examples/city.yaml")
	r.ok(base, "rules", "publish", "../../examples/market.yaml")
	r.ok(base, "subjects", "import", filepath.Join(files, "people.csv"))
	records := filepath.Join(files, "records.csv")

	whole, cut := st.clone(t, base), st.clone(t, base)
	r.ok(whole, "import", records)
	if !r.killWhen(cut, importedSome, "import", records) {
		t.Fatalf("the import of %d records ended before its first batch showed on the terminal: the kill came too late to test anything", crashRecords)
	}
	after := look(t, st.driver, cut)
	if after.records == 0 || after.records >= crashRecords || after.records%ledger.DefaultBatch != 0 {
		t.Errorf("after the kill: %d records, want a whole number of batches of %d, more than none and fewer than %d", after.records, ledger.DefaultBatch, crashRecords)
	}
	after.derivedComplete(t)
	t.Logf("killed the import after %d of %d records", after.records, crashRecords)
	again := r.ok(cut, "import", records)
	if want := fmt.Sprintf("%d recorded, %d unchanged, 0 bad", crashRecords-after.records, after.records); !strings.Contains(again, want) {
		t.Errorf("import again: %q, want %q", again, want)
	}
	got, want := look(t, st.driver, cut), look(t, st.driver, whole)
	got.derivedComplete(t)
	if got.records != want.records || got.notices != want.notices || got.access != want.access || got.refs != want.refs {
		t.Errorf("killed and imported again: %d records, %d notices, %d access entries, refs %s; imported once: %d, %d, %d, %s",
			got.records, got.notices, got.access, got.refs, want.records, want.notices, want.access, want.refs)
	}

	closeArgs := []string{"close", "--scheme", crashScheme, "--period", crashPeriod}
	once, cutClose := st.clone(t, whole), st.clone(t, whole)
	wantDigest := closeDigest(t, r.ok(once, append(closeArgs, "--json")...))
	if !r.killWhen(cutClose, closedSome, closeArgs...) {
		t.Fatalf("the close of %d subjects ended before a page boundary showed on the terminal: the kill came too late to test anything", crashPersons)
	}
	if left := look(t, st.driver, cutClose); left.closeRows != 0 {
		t.Errorf("after the kill: %d rows of closes, totals and late records, want none", left.closeRows)
	}
	t.Logf("killed the close after it showed a page done; nothing of it was left")
	if gotDigest := closeDigest(t, r.ok(cutClose, append(closeArgs, "--json")...)); gotDigest != wantDigest {
		t.Errorf("killed and closed again: digest %s, closed once: %s", gotDigest, wantDigest)
	}
}

// rig runs the tally command, built once for the test, as a separate
// process that can be killed.
type rig struct {
	t   *testing.T
	bin string
	env []string
}

func newRig(t *testing.T) *rig {
	bin := filepath.Join(t.TempDir(), "tally")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	key := ledger.GenerateKey()
	env := []string{"TALLY_KEY=" + key, "TALLY_LANG=en", "TALLY_KEY_FILE=", "TALLY_DB=", "TALLY_SERVER=", "TALLY_TOKEN="}
	return &rig{t: t, bin: bin, env: append(os.Environ(), env...)}
}

func (r *rig) command(db string, args ...string) *exec.Cmd {
	if db != "" {
		args = append(args, "--db", db)
	}
	cmd := exec.Command(r.bin, args...)
	cmd.Env = r.env
	return cmd
}

// ok runs a command that must succeed and returns its output.
func (r *rig) ok(db string, args ...string) string {
	r.t.Helper()
	out, err := r.command(db, args...).CombinedOutput()
	if err != nil {
		r.t.Fatalf("tally %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// killWhen runs a command with its standard error on a terminal, so that
// it shows its progress, and kills it with SIGKILL as soon as a progress
// line satisfies now. It reports whether the kill ended the command; false
// means the command ended first, having succeeded.
func (r *rig) killWhen(db string, now func(line string) bool, args ...string) bool {
	r.t.Helper()
	ptm, tty := openPTY(r.t)
	defer ptm.Close()
	cmd := r.command(db, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, tty
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	tty.Close()
	var shown strings.Builder
	var once sync.Once
	read := make(chan struct{})
	go func() { // ends when the command's end closes the terminal
		defer close(read)
		buf := make([]byte, 4096)
		for {
			n, err := ptm.Read(buf)
			shown.Write(buf[:n])
			lines := strings.Split(shown.String(), "\r")
			for _, line := range lines[max(0, len(lines)-3):] {
				if now(line) {
					once.Do(func() { _ = cmd.Process.Kill() })
				}
			}
			if err != nil {
				return
			}
		}
	}()
	err := cmd.Wait()
	<-read
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if err != nil {
		r.t.Fatalf("tally %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), shown.String())
	}
	return false
}

var (
	importShown = regexp.MustCompile(`import: (\d+) of (\d+) rows`)
	closeShown  = regexp.MustCompile(`: (\d+) of (\d+) subjects`)
)

// importedSome says whether a progress line shows a batch written.
func importedSome(line string) bool {
	m := importShown.FindStringSubmatch(line)
	return m != nil && m[1] != "0"
}

// closedSome says whether a progress line shows a page of a close done
// and another to come.
func closedSome(line string) bool {
	m := closeShown.FindStringSubmatch(line)
	if m == nil {
		return false
	}
	done, _ := strconv.Atoi(m[1])
	total, _ := strconv.Atoi(m[2])
	return done > 0 && done < total
}

func closeDigest(t *testing.T, out string) string {
	t.Helper()
	var v struct {
		Close struct{ Digest string }
		Made  bool
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || !v.Made || v.Close.Digest == "" {
		t.Fatalf("close --json: %v, made %v: %s", err, v.Made, out)
	}
	return v.Close.Digest
}

// state is what a crash may not break: the records with their notices
// and access entries, and the closes.
type state struct {
	records, notices, access int
	refs                     string // every record's scheme, ref, subject and points, in order
	unnoticed, unlogged      []int64
	closeRows                int
}

// derivedComplete fails the test unless every record has exactly its
// notice and its access entry and neither points to a missing record.
func (s state) derivedComplete(t *testing.T) {
	t.Helper()
	if len(s.unnoticed) > 0 || len(s.unlogged) > 0 || s.notices != s.records || s.access != s.records {
		t.Errorf("%d records, %d notices, %d access entries; records whose notices, or access entries, are not one each: %v, %v",
			s.records, s.notices, s.access, head(s.unnoticed), head(s.unlogged))
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

// look reads the state of a database that no process writes to. On
// SQLite it first checks the file's integrity; PostgreSQL recovers from
// a crash by its own log and has no such check.
func look(t *testing.T, driver, addr string) state {
	t.Helper()
	db, err := sql.Open(driver, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if driver == "sqlite" {
		var ok string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("integrity_check: %q %v", ok, err)
		}
	}
	var s state
	seen := map[int64]*[3]int{} // a record, its notices, its access entries
	var refs []string
	each(t, db, "SELECT id, scheme, ref, subject_id, awarded FROM records", func(rs *sql.Rows) error {
		var id, subject, awarded int64
		var scheme, ref string
		if err := rs.Scan(&id, &scheme, &ref, &subject, &awarded); err != nil {
			return err
		}
		s.records++
		count(seen, id)[0]++
		refs = append(refs, fmt.Sprintf("%s/%s/%d/%d", scheme, ref, subject, awarded))
		return nil
	})
	sort.Strings(refs)
	s.refs = digestOf(refs)
	each(t, db, "SELECT about FROM notices WHERE kind = 'record'", func(rs *sql.Rows) error {
		var id int64
		s.notices++
		err := rs.Scan(&id)
		count(seen, id)[1]++
		return err
	})
	each(t, db, "SELECT detail FROM access_log WHERE action = 'record'", func(rs *sql.Rows) error {
		var detail string
		if err := rs.Scan(&detail); err != nil {
			return err
		}
		_, args, _ := strings.Cut(detail, " ")
		var fields []string
		if err := json.Unmarshal([]byte(args), &fields); err != nil || len(fields) == 0 {
			return fmt.Errorf("access detail %q: %v", detail, err)
		}
		id, err := strconv.ParseInt(fields[0], 10, 64)
		s.access++
		count(seen, id)[2]++
		return err
	})
	for id, n := range seen {
		if n[1] != n[0] {
			s.unnoticed = append(s.unnoticed, id)
		}
		if n[2] != n[0] {
			s.unlogged = append(s.unlogged, id)
		}
	}
	for _, table := range []string{"closes", "close_rows", "close_totals", "close_late"} {
		var n int
		if err := db.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		s.closeRows += n
	}
	return s
}

func count(seen map[int64]*[3]int, id int64) *[3]int {
	if seen[id] == nil {
		seen[id] = new([3]int)
	}
	return seen[id]
}

func each(t *testing.T, db *sql.DB, query string, row func(*sql.Rows) error) {
	t.Helper()
	rs, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	for rs.Next() {
		if err := row(rs); err != nil {
			t.Fatal(err)
		}
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
}

func digestOf(lines []string) string {
	h := sha256.New()
	for _, l := range lines {
		io.WriteString(h, l+"\n")
	}
	return fmt.Sprintf("%d:%x", len(lines), h.Sum(nil))
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} { // a closed SQLite file has no -wal; copy one if it does
		b, err := os.ReadFile(from + suffix)
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(to+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// pgClone makes a new database from a PostgreSQL database as its template.
func pgClone(t *testing.T, from string) string {
	t.Helper()
	to := pgtest.Fresh(t) // dropped when the test ends
	admin, err := sql.Open("pgx", pgtest.Admin(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	name, src := dbName(t, to), dbName(t, from)
	for _, stmt := range []string{"DROP DATABASE " + name, "CREATE DATABASE " + name + " TEMPLATE " + src} {
		if _, err := admin.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	return to
}

func dbName(t *testing.T, addr string) string {
	t.Helper()
	m := regexp.MustCompile(`/(tally_test_[0-9a-f]+)`).FindStringSubmatch(addr)
	if m == nil {
		t.Fatalf("no test database named in %s", addr)
	}
	return m[1]
}
