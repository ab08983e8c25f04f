package httpapi_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// benchServer is a server with the city rulebook, n residents with a few
// records each, and a reviewer's client.
func benchServer(b *testing.B, n int) (*client.Client, []string) {
	s := startServer(b, httpapi.Config{Rate: 1e9, Burst: 1 << 30})
	s.publish("city.yaml")
	ids := make([]string, n)
	var conducts []ledger.Conduct
	for i := range ids {
		body := fmt.Sprintf("37108219800101%03d", i)
		ids[i] = body + string(tally.ResidentCheck(body))
		if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: ids[i], Name: fmt.Sprintf("居民%d", i)}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: "rongcheng-city", Identifier: ids[i], Consent: true}); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 5; j++ {
			conducts = append(conducts, ledger.Conduct{Scheme: "rongcheng-city", Identifier: ids[i], Rule: "volunteering.hours",
				Facts: map[string]any{"hours": 4.0}, At: now.AddDate(0, -j, -1), Ref: fmt.Sprintf("b/%d/%d", i, j), Evidence: "log"})
		}
	}
	if rep, err := s.svc.RecordAll(s.admin, conducts, ledger.ImportOptions{}); err != nil || len(rep.Bad) > 0 {
		b.Fatal(err, rep)
	}
	return s.client(ledger.TokenSpec{Name: "reviewer", Role: tally.Reviewer}), ids
}

// BenchmarkScoreHTTP is one score request at a time over loopback HTTP:
// authentication, the score, and its access-log entry.
func BenchmarkScoreHTTP(b *testing.B) {
	c, ids := benchServer(b, 200)
	opts := &client.Options{Purpose: "benchmark"}
	ctx := context.Background()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; i < b.N; i++ {
		if _, err := c.Score(ctx, "rongcheng-city", ids[i%len(ids)], opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreHTTPConcurrent is the same with 16 clients at once.
func BenchmarkScoreHTTPConcurrent(b *testing.B) {
	c, ids := benchServer(b, 200)
	opts := &client.Options{Purpose: "benchmark"}
	ctx := context.Background()
	b.SetParallelism(8) // 8 x GOMAXPROCS(2) = 16 goroutines
	b.ResetTimer()
	defer reportCPU(b)()
	began := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, err := c.Score(ctx, "rongcheng-city", ids[i%len(ids)], opts); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "scores/s")
}

// reportCPU reports the CPU time of the whole process (server and client
// together) per operation, from now until the returned function is called:
// on a shared machine it moves less than the wall time.
func reportCPU(b *testing.B) func() {
	began := cpuTime()
	return func() { b.ReportMetric(float64((cpuTime()-began).Microseconds())/float64(b.N), "cpu-µs/op") }
}

func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
