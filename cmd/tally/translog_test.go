package main

import (
	"database/sql"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to tamper with a PostgreSQL store
	"github.com/tallycredit/tally/postgres/pgtest"
)

// cliEngines makes a cli over a fresh, empty database of each engine: a
// SQLite file, or a PostgreSQL database with its identity and report
// signing keys in files (a server database keeps no key beside it).
var cliEngines = map[string]func(t *testing.T) *cli{
	"sqlite": newCLI,
	"postgres": func(t *testing.T) *cli {
		c := newCLI(t)
		c.db = pgtest.Fresh(t)
		keys := t.TempDir()
		t.Setenv("TALLY_KEY_FILE", filepath.Join(keys, "tally.key"))
		t.Setenv("TALLY_SIGN_KEY_FILE", filepath.Join(keys, "tally.sign"))
		return c
	},
}

// loggedCLI is an instance named rongcheng with a rulebook, a person and
// two records, and a signed checkpoint of its log, on a SQLite file.
func loggedCLI(t *testing.T) *cli { return logged(t, newCLI(t)) }

// logged makes c's empty database the instance loggedCLI describes.
func logged(t *testing.T, c *cli) *cli {
	t.Helper()
	c.ok("init", "--name", "rongcheng")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--consent")
	for _, day := range []string{"02", "03"} {
		c.ok("record", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--rule", "labour.volunteer",
			"--fact", "hours=8", "--at", "2026-03-"+day, "--ref", "recorder-7/2026-03-"+day)
	}
	c.ok("log", "checkpoint")
	return c
}

// tamper runs statements on c's database directly, as an operator with
// access to it could, after lifting the triggers that keep records
// append-only (SQLite's dropped, PostgreSQL's disabled), as such an
// operator can too.
func tamper(t *testing.T, c *cli, stmts ...string) {
	t.Helper()
	driver, unguard := "sqlite", []string{`DROP TRIGGER records_no_update`, `DROP TRIGGER records_no_delete`}
	if isPostgres(c.db) {
		driver, unguard = "pgx", []string{`ALTER TABLE records DISABLE TRIGGER USER`}
	}
	raw, err := sql.Open(driver, c.db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range append(unguard, stmts...) {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestLogVerifyFindsTampering: on either engine, the operator's
// self-check passes on an untouched database, and a record edited,
// deleted or backdated in the database directly is found, named, and
// fails the command.
func TestLogVerifyFindsTampering(t *testing.T) {
	tests := []struct {
		name, stmt, want string
	}{
		{"edited", `UPDATE records SET awarded = 200 WHERE ref = 'recorder-7/2026-03-02'`, "changed: record"},
		{"deleted", `DELETE FROM records WHERE ref = 'recorder-7/2026-03-03'`, "missing: record"},
		{"backdated", `UPDATE records SET happened_at = happened_at - 86400000000 WHERE ref = 'recorder-7/2026-03-03'`, "changed: record"},
	}
	for engine, fresh := range cliEngines {
		t.Run(engine, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					c := logged(t, fresh(t))
					if out := c.ok("log", "verify"); !strings.Contains(out, "all 5 logged entries match") {
						t.Fatalf("log verify on an untouched database: %q", out)
					}
					tamper(t, c, tc.stmt)
					code, out, errOut := c.run("log", "verify")
					if code == 0 || !strings.Contains(out, tc.want) || !strings.Contains(errOut, "found 1 problems") {
						t.Errorf("log verify after a row was %s: exit %d\n%s%s\nwant non-zero and %q", tc.name, code, out, errOut, tc.want)
					}
					code, out, _ = c.run("log", "verify", "--json")
					var rep struct {
						Findings []struct{ Kind, Ref, Problem string }
					}
					// The report comes first, the error after it.
					if err := json.NewDecoder(strings.NewReader(out)).Decode(&rep); err != nil || code == 0 || len(rep.Findings) != 1 || rep.Findings[0].Kind != "record" {
						t.Errorf("log verify --json: exit %d, %+v, %v", code, rep, err)
					}
				})
			}
		})
	}
}

// TestLogCommands: the key is the report signing key under the name
// "<instance>/log", and the proof and consistency commands print what a
// checkpoint covers.
func TestLogCommands(t *testing.T) {
	c := loggedCLI(t)
	key := strings.TrimSpace(c.ok("log", "key"))
	if !regexp.MustCompile(`^rongcheng/log\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$`).MatchString(key) {
		t.Errorf("log key: %q, want rongcheng/log+hash+base64", key)
	}
	if ex := strings.TrimSpace(c.ok("exchange", "key")); strings.HasPrefix(ex, "rongcheng/log+") || ex[strings.LastIndex(ex, "+"):] != key[strings.LastIndex(key, "+"):] {
		t.Errorf("exchange key %q and log key %q: want the same key under another name", ex, key)
	}
	cp := c.ok("log", "checkpoint", "--json")
	var got struct {
		Size int64
		Note string
	}
	if err := json.Unmarshal([]byte(cp), &got); err != nil || got.Size != 5 || !strings.HasPrefix(got.Note, "rongcheng/log\n5\n") {
		t.Errorf("log checkpoint --json: %+v, %v; want 5 entries of rongcheng/log", got, err)
	}
	if out := c.ok("log", "proof", "--kind", "record", "--ref", "1"); !strings.Contains(out, "record 1 is at position 3 (from 0) in the log's checkpoint of 5 entries") {
		t.Errorf("log proof: %q", out)
	}
	if code, _, errOut := c.run("log", "proof", "--kind", "person", "--ref", "1"); code == 0 || !strings.Contains(errOut, "not a kind of logged entry") {
		t.Errorf("log proof of an unknown kind: exit %d, %s", code, errOut)
	}
	if out := c.ok("log", "consistency", "--from", "1", "--to", "5"); !strings.Contains(out, "log of 5 entries extends the log of 1") {
		t.Errorf("log consistency: %q", out)
	}
	if out := c.ok("log", "backfill"); !strings.Contains(out, "0 entries") {
		t.Errorf("log backfill of a logged database: %q", out)
	}
}
