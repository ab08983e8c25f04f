package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/tallycredit/tally/sqlite"
)

// asTally is the environment variable that makes the test binary run as
// the tally command itself, so that tests can start a real `tally serve`
// process and kill it.
const asTally = "TALLY_TEST_AS_TALLY"

func TestMain(m *testing.M) {
	if os.Getenv(asTally) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// A server killed with SIGKILL in the middle of concurrent score requests
// has logged every read it answered: each 200 has its access-log entry in
// the database afterwards, and the database opens and is intact.
func TestKilledServerKeptTheLogOfEveryAnsweredRead(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	const subject = "360426199101010071"
	c.ok("subjects", "add", "--id", subject, "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", subject, "--consent")
	var reviewer struct{ Token string }
	if err := json.Unmarshal([]byte(c.ok("tokens", "create", "--name", "reviewer-2", "--role", "reviewer", "--json")), &reviewer); err != nil {
		t.Fatal(err)
	}

	serve := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--db", c.db, "--rate", "100000", "--burst", "100000")
	serve.Env = append(os.Environ(), asTally+"=1")
	out, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	t.Cleanup(func() {
		if !killed {
			_ = serve.Process.Kill()
			_ = serve.Wait()
		}
	})
	base := servedAt(t, out)

	// 16 clients score with a purpose of their own each time, until the
	// server dies; the purposes answered 200 are kept.
	var (
		mu       sync.Mutex
		answered []string
		wg       sync.WaitGroup
	)
	enough := make(chan struct{})
	var once sync.Once
	httpc := &http.Client{Timeout: 10 * time.Second}
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				purpose := fmt.Sprintf("crash-%d-%d", w, i)
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet,
					base+"/api/v1/schemes/jiakuang-majia/subjects/"+subject+"/score?purpose="+purpose, nil)
				req.Header.Set("Authorization", "Bearer "+reviewer.Token)
				resp, err := httpc.Do(req)
				if err != nil {
					return // the server is gone
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("score: %s", resp.Status)
					return
				}
				mu.Lock()
				answered = append(answered, purpose)
				if len(answered) >= 400 {
					once.Do(func() { close(enough) })
				}
				mu.Unlock()
			}
		})
	}
	select {
	case <-enough:
	case <-time.After(2 * time.Minute):
		t.Fatal("400 scores were not answered within 2 minutes")
	}
	if err := serve.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed = true
	_ = serve.Wait()
	wg.Wait()

	db, err := sqlite.Open(context.Background(), c.db)
	if err != nil {
		t.Fatalf("the database after the kill: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", c.db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v; want ok", check, err)
	}
	rows, err := raw.Query("SELECT purpose FROM access_log WHERE action = 'score'")
	if err != nil {
		t.Fatal(err)
	}
	logged := map[string]bool{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		logged[p] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, p := range answered {
		if !logged[p] {
			missing = append(missing, p)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d of %d answered scores have no access-log entry after the kill, e.g. %s",
			len(missing), len(answered), strings.Join(missing[:min(5, len(missing))], ", "))
	}
	t.Logf("%d scores answered before the kill, %d logged", len(answered), len(logged))
}
