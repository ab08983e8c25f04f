package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/bench/listed"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/wire"
)

// checkBenchEntries is how many persons the check benchmarks' ledger
// lists: TALLY_BENCH_LISTED, or 200,000.
func checkBenchEntries() int {
	if n, err := strconv.Atoi(os.Getenv("TALLY_BENCH_LISTED")); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// listedLedger is a SQLite file with checkBenchEntries listed persons and
// the key it was written with, built once per test binary.
var listedLedger struct {
	once sync.Once
	dir  string
	key  []byte
	err  error
}

// benchListed returns the i-th listed person's identifier and name.
func benchListed(i int) (string, string) { return listed.Person(i) }

// benchUnlisted returns a valid identifier of a person no list names.
func benchUnlisted(i int) string {
	id, _ := benchListed(i)
	body := "371083" + id[6:17]
	return body + string(tally.ResidentCheck(body))
}

// buildListedLedger writes the ledger (package listed) in one transaction.
func buildListedLedger(dir string, key []byte, n int) error {
	vault, err := ledger.NewVault(key)
	if err != nil {
		return err
	}
	return listed.Write(context.Background(), filepath.Join(dir, "checks.db"), vault, n, n, nil)
}

// checkServer is a real server on :0 over the listed ledger, its check
// index loaded, and a verifier's token.
func checkServer(b *testing.B) (url, token string) {
	b.Helper()
	l := &listedLedger
	l.once.Do(func() {
		l.key, _ = ledger.ParseKey(ledger.GenerateKey())
		if l.dir, l.err = os.MkdirTemp("", "tally-checkbench"); l.err == nil {
			l.err = buildListedLedger(l.dir, l.key, checkBenchEntries())
		}
	})
	if l.err != nil {
		b.Fatal(l.err)
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(l.dir, "checks.db"))
	if err != nil {
		b.Fatal(err)
	}
	vault, _ := ledger.NewVault(l.key)
	svc := ledger.New(db, vault, ledger.Options{})
	chk := checkindex.NewChecker(svc, checkindex.CheckerOptions{})
	chk.Start(ctx)
	api := httpapi.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{Checker: chk, Rate: 1e9, Burst: 1 << 30})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	b.Cleanup(func() {
		srv.Close()
		_ = chk.Close(ctx)
		db.Close()
	})
	admin := ledger.WithActor(ctx, &tally.Actor{Name: "bench", Role: tally.Admin})
	secret, _, err := svc.CreateToken(admin, ledger.TokenSpec{Name: "airline", Role: tally.Verifier})
	if err != nil {
		b.Fatal(err)
	}
	for !chk.Ready() {
		if err := chk.Err(); err != nil {
			b.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return "http://" + ln.Addr().String(), secret
}

// postBench posts a JSON body and reads the whole answer, which must be a 200.
func postBench(c *http.Client, url, token string, body []byte) error {
	req, err := http.NewRequest("POST", url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("%d %s", resp.StatusCode, msg)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// BenchmarkCheckHTTP is single checks (one identifier a request) from 16
// clients at once against a server whose index holds the listed ledger;
// one check in a hundred names a listed person (denied, logged). It
// reports checks/s, the 99th percentile of the latency and the CPU time
// of server and clients together per check.
func BenchmarkCheckHTTP(b *testing.B) {
	url, token := checkServer(b)
	url += "/api/v1/checks"
	n := checkBenchEntries()
	bodies := make([][]byte, 2000)
	for i := range bodies {
		id, name := benchListed(i * 7919 % n)
		if i%100 != 0 {
			id = benchUnlisted(i)
		}
		bodies[i], _ = json.Marshal(wire.CheckRequest{Subject: id, Name: name, Measure: "air-travel"})
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var (
		mu    sync.Mutex
		taken []time.Duration
	)
	b.SetParallelism(8) // 8 x GOMAXPROCS(2) = 16 clients
	b.ResetTimer()
	defer reportCPU(b)()
	began := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for i := 0; pb.Next(); i++ {
			t0 := time.Now()
			if err := postBench(c, url, token, bodies[i%len(bodies)]); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		taken = append(taken, mine...)
		mu.Unlock()
	})
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "checks/s")
	if len(taken) > 0 {
		slices.Sort(taken)
		b.ReportMetric(float64(taken[len(taken)*99/100].Microseconds())/1000, "p99-ms")
	}
}

// BenchmarkCheckBatchHTTP is batch checks of 10,000 identifiers a
// request, 1 % of them listed (denied and logged), from 4 clients at
// once. It reports identifiers/s and the CPU time of server and clients
// together per request.
func BenchmarkCheckBatchHTTP(b *testing.B) {
	const size = checkindex.MaxBatch
	url, token := checkServer(b)
	url += "/api/v1/checks/batch"
	n := checkBenchEntries()
	bodies := make([][]byte, 8)
	next := 0
	for j := range bodies {
		in := wire.BatchRequest{Measure: "air-travel", Purpose: "tickets", Items: make([]wire.BatchItem, size)}
		for i := range in.Items {
			id, name := benchListed(next % n)
			if i%100 != 0 {
				id = benchUnlisted(next)
			}
			in.Items[i] = wire.BatchItem{Subject: id, Name: name}
			next++
		}
		bodies[j], _ = json.Marshal(in)
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	b.SetParallelism(2) // 2 x GOMAXPROCS(2) = 4 clients
	b.ResetTimer()
	defer reportCPU(b)()
	began := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			if err := postBench(c, url, token, bodies[i%len(bodies)]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N*size)/time.Since(began).Seconds(), "identifiers/s")
}

// removeListedLedger deletes the check benchmarks' ledger, if one was built.
func removeListedLedger() {
	if listedLedger.dir != "" {
		_ = os.RemoveAll(listedLedger.dir)
	}
}
