package postgres_test

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// Two real tally servers over HTTP, on one PostgreSQL database, take the
// same subjects' records from concurrent clients, some sent to both: the
// database ends with one record per ref and every cap exactly met.
func TestTwoHTTPServersWritingTheSameSubjects(t *testing.T) {
	addr, svcs := twoServers(t)
	ids := residents(t, svcs[0], "busy-street", 0, 4)
	secret, _, err := svcs[0].CreateToken(adminCtx(t), ledger.TokenSpec{Name: "street-office", Role: tally.Recorder, Schemes: []string{"busy-street"}})
	if err != nil {
		t.Fatal(err)
	}
	var clients [2]*client.Client
	for i, svc := range svcs {
		api := httpapi.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{Rate: 1e6, Burst: 1 << 20})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: api}
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close() })
		clients[i] = client.New("http://"+ln.Addr().String(), secret, nil)
	}

	conducts := streetConducts(ids, 2, 8, "http")
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(conducts))
	for w := 0; w < 8; w++ {
		wg.Go(func() {
			for i := w; i < len(conducts); i += 8 {
				c := conducts[i]
				in := client.Conduct{Subject: c.Identifier, Rule: c.Rule, Facts: c.Facts, At: c.At.Format("2006-01-02T15:04:05Z07:00"), Ref: c.Ref, Evidence: c.Evidence}
				targets := []*client.Client{clients[i%2]}
				if i%3 == 0 { // sent to both servers: one must write, the other replay
					targets = clients[:]
				}
				for _, cl := range targets {
					if _, err := cl.Record(t.Context(), "busy-street", in, nil); err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("record over HTTP: %v", err)
	}
	checkLedger(t, addr, conducts)
}
