package httpapi_test

import (
	"bytes"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"

	_ "modernc.org/sqlite"
)

// answer is one response as the test saw it.
type answer struct {
	status   int
	replayed string
	body     []byte
}

// post sends a POST with an Idempotency-Key and returns the whole answer.
func post(t testing.TB, url, token, key, body string) answer {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Error(err)
		return answer{}
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("Accept-Language", "en") // the tests read the English texts
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return answer{}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
	}
	return answer{status: resp.StatusCode, replayed: resp.Header.Get("Idempotent-Replayed"), body: data}
}

// adminSecret makes an admin token directly and returns its secret.
func adminSecret(t testing.TB, s *server) string {
	t.Helper()
	secret, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: "root", Role: tally.Admin})
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

// secretOf returns the token secret of a 201 answer to POST /api/v1/tokens.
func secretOf(t testing.TB, a answer) string {
	t.Helper()
	var made struct {
		Token string `json:"token"`
	}
	if a.status != 201 || json.Unmarshal(a.body, &made) != nil || made.Token == "" {
		t.Fatalf("create a token: %d %s, want 201 with the secret", a.status, a.body)
	}
	return made.Token
}

// A token made with an Idempotency-Key shows its secret once: the kept
// replay holds no secret, neither in the database file nor in its WAL,
// before or after a checkpoint, and a retry says the token was made.
func TestIdempotentTokenSecretNotKept(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	root := adminSecret(t, s)
	body := `{"name": "recorder-9", "role": "recorder"}`
	first := post(t, s.url+"/api/v1/tokens", root, "make-recorder-9", body)
	secret := secretOf(t, first)

	files := []string{s.db.Path(), s.db.Path() + "-wal"}
	for _, f := range files {
		noSecret(t, f, secret)
	}
	again := post(t, s.url+"/api/v1/tokens", root, "make-recorder-9", body)
	if again.status != 409 || again.replayed != "true" {
		t.Errorf("retry: %d replayed=%q %s, want 409 replayed", again.status, again.replayed, again.body)
	}
	if bytes.Contains(again.body, []byte(secret)) || !bytes.Contains(again.body, []byte("already created")) {
		t.Errorf("retry body %s: want no secret and \"already created\"", again.body)
	}
	tokens, err := s.svc.Tokens(s.admin, 0, 10)
	if err != nil || len(tokens) != 2 {
		t.Errorf("tokens: %d %v, want root and recorder-9 only", len(tokens), err)
	}

	checkpoint(t, s.db.Path())
	for _, f := range files {
		noSecret(t, f, secret)
	}
}

// noSecret fails the test if the file holds the secret, as text or hex.
func noSecret(t *testing.T, path, secret string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) == 0 && strings.HasSuffix(path, "-wal") {
		return // checkpointed and truncated
	}
	for _, form := range []string{secret, hex.EncodeToString([]byte(secret))} {
		if bytes.Contains(data, []byte(form)) {
			t.Errorf("%s holds the token secret %q", path, form)
		}
	}
}

// checkpoint copies the WAL into the database file, as SQLite does now and
// then by itself.
func checkpoint(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var busy, logged, done int
	if err := db.QueryRow("PRAGMA wal_checkpoint(FULL)").Scan(&busy, &logged, &done); err != nil {
		t.Fatal(err)
	}
	if busy != 0 || logged != done {
		t.Fatalf("checkpoint: busy=%d, %d of %d frames", busy, done, logged)
	}
}

// Requests racing with one Idempotency-Key run the command once: one
// token is made, one answer carries its secret, and every other answer is
// the replay.
func TestIdempotencyKeyConcurrent(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	root := adminSecret(t, s)
	answers := race(t, 16, s.url, root)
	tokens, err := s.svc.Tokens(s.admin, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2 {
		t.Errorf("%d tokens, want root and one made by the racing requests", len(tokens))
	}
	checkRace(t, answers)
}

// race sends n requests at once, each making the same token with one key.
func race(t *testing.T, n int, url, token string) []answer {
	t.Helper()
	body := `{"name": "racer", "role": "recorder"}`
	answers := make([]answer, n)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start.Wait()
			answers[i] = post(t, url+"/api/v1/tokens", token, "one-key", body)
		}()
	}
	start.Done()
	wg.Wait()
	return answers
}

// checkRace wants one 201 with a secret, and every other answer a replay
// saying the token was already made.
func checkRace(t *testing.T, answers []answer) {
	t.Helper()
	made := 0
	for i, a := range answers {
		switch {
		case a.status == 201 && a.replayed == "":
			made++
		case a.status == 409 && a.replayed == "true" && bytes.Contains(a.body, []byte("already created")):
		default:
			t.Errorf("answer %d: %d replayed=%q %s, want 201, or a 409 replay", i, a.status, a.replayed, a.body)
		}
	}
	if made != 1 {
		t.Errorf("%d answers made the token, want 1", made)
	}
}
