// Command exchangebench measures the exchange between a court and an
// airline's verifier in one process, on loopback: how fast a bulk load
// of list entries travels from the court's ledger through NATS
// JetStream into the airline's ledger and check index, and how long a
// removal (and a new listing) takes from the court's use case to the
// airline's answer. bench/exchange.sh runs it.
//
//	exchangebench [-entries 1000000] [-removals 500] [-listings 500] [-batch 100000] [-staged] [-dir DIR]
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"
)

func main() {
	entries := flag.Int("entries", 1_000_000, "list entries the court loads before the latencies are measured")
	removals := flag.Int("removals", 500, "removals timed one at a time")
	listings := flag.Int("listings", -1, "new listings timed one at a time (-1: as many as -removals)")
	batch := flag.Int("batch", 100_000, "rows of each import file the court loads")
	staged := flag.Bool("staged", false, "run the load's stages one after another (import, publish, apply) instead of at once")
	dir := flag.String("dir", "", "where the databases and the stream go (default: a new temporary folder, removed at the end)")
	timeout := flag.Duration("timeout", 2*time.Hour, "how long any one stage may take")
	flag.Parse()
	if *listings < 0 {
		*listings = *removals
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *dir, *entries, *removals, *listings, max(*batch, 1), *staged, *timeout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, dir string, n, k, kl, batch int, staged bool, timeout time.Duration) error {
	if n < 1 {
		return fmt.Errorf("-entries: want at least 1")
	}
	if dir == "" {
		tmp, err := os.MkdirTemp("", "tally-exchangebench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	fmt.Println(machine())
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r, err := newRig(ctx, dir, logger)
	if err != nil {
		return err
	}
	defer r.close()
	if err := r.startChecker(); err != nil {
		return err
	}
	mode := "pipelined"
	if staged {
		mode = "staged"
	}
	fmt.Printf("== loading %d entries on the court (%s, %d rows an import file)\n", n, mode, batch)
	res, err := load(ctx, r, n, batch, staged, timeout)
	if err != nil {
		return err
	}
	rate := func(d time.Duration) float64 { return float64(n) / d.Seconds() }
	fmt.Printf("court listed     %d in %7.1fs  %8.0f entries/s\n", n, res.listed.Seconds(), rate(res.listed))
	fmt.Printf("stream acked     %d by %7.1fs  %8.0f entries/s\n", n, res.published.Seconds(), rate(res.published))
	fmt.Printf("airline applied  %d by %7.1fs  %8.0f entries/s  (index %d entries)\n", n, res.applied.Seconds(), rate(res.applied), r.checker.Len())
	if staged {
		fmt.Printf("stages alone: publish %.0f entries/s, apply %.0f entries/s\n",
			float64(n)/(res.published-res.listed).Seconds(), float64(n)/(res.applied-res.published).Seconds())
	}
	if err := awaitFresh(ctx, r, 0, timeout); err != nil {
		return fmt.Errorf("the airline does not answer after the load: %w", err)
	}
	fmt.Printf("== %d removals, then %d listings, one at a time (airline polled every %s)\n", k, kl, pollEvery)
	rem, err := removals(ctx, r, n, k, time.Minute)
	if err != nil {
		return err
	}
	lis, err := listings(ctx, r, n, kl, time.Minute)
	if err != nil {
		return err
	}
	remSum, lisSum := latencies(rem), latencies(lis)
	fmt.Println(latencyLine("removal → allowed", remSum, rem))
	fmt.Println(latencyLine("listing → denied", lisSum, lis))
	rss := peakRSS()
	fmt.Printf("peak RSS %d MB (court, airline, NATS and the index in one process)\n", rss)
	fmt.Println()
	fmt.Println("| entries | load | court listed/s | stream acked/s | airline applied/s | removal→allowed p50 / p95 / p99 / max ms | listing→denied p50 / p95 / p99 / max ms | peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	fmt.Printf("| %d | %s | %.0f | %.0f | %.0f | %s | %s | %d MB |\n", n, mode, rate(res.listed), rate(res.published), rate(res.applied),
		spread(remSum), spread(lisSum), rss)
	return nil
}

// latencies is the summary of the trips' times to the airline's answer.
func latencies(ts []travel) summary {
	ds := make([]time.Duration, len(ts))
	for i, t := range ts {
		ds[i] = t.answer
	}
	return summarize(ds)
}

func latencyLine(what string, s summary, ts []travel) string {
	calls := make([]time.Duration, len(ts))
	closed := 0
	for i, t := range ts {
		calls[i], closed = t.call, closed+t.closed
	}
	c := summarize(calls)
	return fmt.Sprintf("%-18s n %d  p50 %.1f  p95 %.1f  p99 %.1f  max %.1f ms  (the court's call alone: p50 %.1f  p99 %.1f ms; %d checks answered \"cannot answer\" meanwhile)",
		what, s.n, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), ms(c.p50), ms(c.p99), closed)
}

func spread(s summary) string {
	return fmt.Sprintf("%.1f / %.1f / %.1f / %.1f", ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max))
}

// machine is the one-line description of where the numbers were taken.
func machine() string {
	return fmt.Sprintf("machine: %d cores, %s, %s %s/%s", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func cpuModel() string {
	return procField("/proc/cpuinfo", "model name", "unknown CPU")
}

// peakRSS is the process's peak resident memory in MB (VmHWM), or 0 where
// /proc does not say.
func peakRSS() int {
	var kb int
	_, _ = fmt.Sscanf(procField("/proc/self/status", "VmHWM", "0 kB"), "%d", &kb)
	return kb / 1024
}

// procField returns the value of the first "name: value" line of a /proc
// file, or def.
func procField(path, name, def string) string {
	f, err := os.Open(path)
	if err != nil {
		return def
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return def
}
