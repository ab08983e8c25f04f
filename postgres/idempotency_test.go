package postgres_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// apiServer starts the real API over a fresh database on a loopback port
// and returns its address, the service, an admin token's secret and the
// database's address.
func apiServer(t *testing.T) (url string, svc *ledger.Service, root, addr string) {
	t.Helper()
	addr = pgtest.Fresh(t)
	svc = newService(t, mustOpen(t, addr))
	root, _, err := svc.CreateToken(adminCtx(t), ledger.TokenSpec{Name: "root", Role: tally.Admin})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: httpapi.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String(), svc, root, addr
}

// reply is one answer as the test saw it.
type reply struct {
	status   int
	replayed string
	body     []byte
}

// makeToken asks the API to make a recorder token named name, with key.
func makeToken(t *testing.T, url, root, key, name string) reply {
	req, err := http.NewRequest("POST", url+"/api/v1/tokens", strings.NewReader(`{"name": "`+name+`", "role": "recorder"}`))
	if err != nil {
		t.Error(err)
		return reply{}
	}
	req.Header.Set("Authorization", "Bearer "+root)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("Accept-Language", "en") // the test reads the English detail
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return reply{}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
	}
	return reply{status: resp.StatusCode, replayed: resp.Header.Get("Idempotent-Replayed"), body: body}
}

// Requests racing with one Idempotency-Key through the real server run the
// command once on PostgreSQL: one token is made, one answer carries its
// secret, every other answer is the replay saying it was made.
func TestIdempotencyKeyConcurrentHTTP(t *testing.T) {
	url, svc, root, _ := apiServer(t)
	replies := make([]reply, 16)
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range replies {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			replies[i] = makeToken(t, url, root, "one-key", "racer")
		}()
	}
	start.Done()
	done.Wait()

	tokens, err := svc.Tokens(adminCtx(t), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2 {
		t.Errorf("%d tokens, want root and one made by the racing requests", len(tokens))
	}
	made := 0
	for i, r := range replies {
		switch {
		case r.status == 201 && r.replayed == "":
			made++
		case r.status == 409 && r.replayed == "true" && bytes.Contains(r.body, []byte("already created")):
		default:
			t.Errorf("reply %d: %d replayed=%q %s, want 201, or a 409 replay", i, r.status, r.replayed, r.body)
		}
	}
	if made != 1 {
		t.Errorf("%d replies made the token, want 1", made)
	}
}

// A token made with an Idempotency-Key shows its secret once: no row of
// any table holds it, as text or as hex, and a retry gets no secret.
func TestIdempotentTokenSecretNotKept(t *testing.T) {
	url, _, root, addr := apiServer(t)
	first := makeToken(t, url, root, "make-recorder-9", "recorder-9")
	var made struct {
		Token string `json:"token"`
	}
	if first.status != 201 || json.Unmarshal(first.body, &made) != nil || made.Token == "" {
		t.Fatalf("create a token: %d %s, want 201 with the secret", first.status, first.body)
	}
	again := makeToken(t, url, root, "make-recorder-9", "recorder-9")
	if again.status != 409 || again.replayed != "true" || bytes.Contains(again.body, []byte(made.Token)) {
		t.Errorf("retry: %d replayed=%q %s, want a 409 replay without the secret", again.status, again.replayed, again.body)
	}

	conn := rawConn(t, addr)
	tables, err := conn.Query(t.Context(), `SELECT quote_ident(table_name) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(tables, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	forms := []string{made.Token, hex.EncodeToString([]byte(made.Token))}
	kept := 0
	for _, table := range names {
		rows, err := conn.Query(t.Context(), `SELECT t::text FROM `+table+` t`)
		if err != nil {
			t.Fatal(err)
		}
		texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range texts {
			if table == "saved_responses" {
				kept++
			}
			for _, form := range forms {
				if strings.Contains(text, form) {
					t.Errorf("a row of %s holds the token secret: %s", table, text)
				}
			}
		}
	}
	if kept != 1 {
		t.Errorf("%d saved responses, want the one replay", kept)
	}
}
