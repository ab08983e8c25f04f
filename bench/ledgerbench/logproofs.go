package main

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/translog"
	sumnote "golang.org/x/mod/sumdb/note"
	"golang.org/x/term"
)

// logProofs grows the transparency log of the store at addr to leaves
// leaves (leaves only, not ledger entries: each is logged as record
// <position>), batch leaves a transaction, and then times proofs in it
// over samples random leaves: LogInclusion (the use case: the leaf by its
// entry, the checkpoint, the proof), translog.ProveInclusion and
// translog.ProveConsistency from a random size to the log's. A log
// already there is grown, not rebuilt, so that a large one is built once;
// nothing else may write to it meanwhile. Progress goes to stderr.
func logProofs(addr string, leaves int64, batch, samples int) error {
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "ledgerbench", Role: tally.Admin}), "benchmark")
	store, stop, err := openStore(ctx, addr)
	if err != nil {
		return err
	}
	defer stop()
	if err := growLog(ctx, store, leaves, batch); err != nil {
		return err
	}

	// The identity key is never used: proofs read no personal data.
	vault, err := ledger.NewVault(must(ledger.ParseKey(ledger.GenerateKey())))
	if err != nil {
		return err
	}
	skey, _, err := sumnote.GenerateKey(crand.Reader, "ledgerbench.example/log")
	if err != nil {
		return err
	}
	signer, err := sumnote.NewSigner(skey)
	if err != nil {
		return err
	}
	svc := ledger.New(store, vault, ledger.Options{Log: ledger.LogSettings{Signer: signer}})
	c, err := svc.SignLogCheckpoint(ctx)
	if err != nil {
		return err
	}
	size := c.Size
	fmt.Printf("log of %d leaves, checkpoint root %x\n", size, c.Root[:8])

	r := rand.New(rand.NewPCG(1, 2))
	times := map[string][]time.Duration{}
	timed := func(name string, fn func() error) error {
		start := time.Now()
		err := fn()
		times[name] = append(times[name], time.Since(start))
		return err
	}
	for range samples {
		i := r.Int64N(size)
		err := timed("LogInclusion", func() error {
			p, err := svc.LogInclusion(ctx, ledger.LogRecord, strconv.FormatInt(i, 10), 0)
			if err == nil {
				err = p.Proof.Verify(p.Leaf, c.Root)
			}
			return err
		})
		if err != nil {
			return fmt.Errorf("LogInclusion of leaf %d: %w", i, err)
		}
		err = store.View(ctx, func(tx ledger.Tx) error {
			if err := timed("ProveInclusion", func() error {
				_, err := translog.ProveInclusion(ctx, tx, i, size)
				return err
			}); err != nil {
				return err
			}
			from := 1 + r.Int64N(size)
			return timed("ProveConsistency", func() error {
				_, err := translog.ProveConsistency(ctx, tx, from, size)
				return err
			})
		})
		if err != nil {
			return fmt.Errorf("proofs of leaf %d: %w", i, err)
		}
	}
	for _, name := range []string{"LogInclusion", "ProveInclusion", "ProveConsistency"} {
		d := times[name]
		slices.Sort(d)
		fmt.Printf("%-16s leaves=%d samples=%d p50=%v p99=%v max=%v\n", name, size, len(d),
			d[len(d)/2].Round(time.Microsecond), d[len(d)*99/100].Round(time.Microsecond), d[len(d)-1].Round(time.Microsecond))
	}
	return nil
}

// growLog appends leaves to the store's log until it has n, batch a
// transaction, telling the progress on stderr.
func growLog(ctx context.Context, store ledger.Store, n int64, batch int) error {
	var size int64
	if err := store.View(ctx, func(tx ledger.Tx) (err error) { size, err = tx.TreeSize(ctx); return err }); err != nil {
		return err
	}
	start, began := size, time.Now()
	tty := term.IsTerminal(int(os.Stderr.Fd()))
	var shown int64 // the size last told, off a terminal
	for size < n {
		k := int(min(int64(batch), n-size))
		err := store.Update(ctx, func(tx ledger.Tx) error {
			_, _, err := translog.Append(ctx, benchLeaves{tx}, benchLeafData(size, k)...)
			return err
		})
		if err != nil {
			return fmt.Errorf("append leaves %d..%d: %w", size, size+int64(k), err)
		}
		size += int64(k)
		rate := float64(size-start) / time.Since(began).Seconds()
		line := fmt.Sprintf("log: %d of %d leaves, %.0f leaves/s, %v to go", size, n, rate,
			time.Duration(float64(n-size)/rate*float64(time.Second)).Round(time.Second))
		switch {
		case tty:
			fmt.Fprintf(os.Stderr, "\r\033[K%s", line)
		case size-shown >= n/10 || size == n:
			fmt.Fprintln(os.Stderr, line)
			shown = size
		}
	}
	if tty && size > start {
		fmt.Fprintln(os.Stderr)
	}
	if size > start {
		fmt.Printf("appended %d leaves in %v\n", size-start, time.Since(began).Round(time.Second))
	}
	return nil
}

// benchLeafData returns the data of k leaves: commitments to made-up
// entries, which no one will check (there are no entries).
func benchLeafData(start int64, k int) [][]byte {
	out := make([][]byte, k)
	for i := range out {
		out[i] = translog.Commit([]byte("entry "+strconv.FormatInt(start+int64(i), 10)), translog.NewSalt())
	}
	return out
}

// benchLeaves is the translog.Store the log is grown through: each leaf
// is logged as record <position>, with a fresh salt.
type benchLeaves struct{ ledger.Tx }

func (s benchLeaves) WriteLeaves(ctx context.Context, start int64, nodes []translog.Node) error {
	leaves := make([]ledger.LogLeaf, len(nodes))
	now := time.Now()
	for i, n := range nodes {
		idx := start + int64(i)
		leaves[i] = ledger.LogLeaf{Index: idx, Kind: ledger.LogRecord, Ref: strconv.FormatInt(idx, 10), Data: n.Data, Salt: translog.NewSalt(), At: now, Completes: n.Completes}
	}
	return s.InsertLeaves(ctx, leaves)
}

// must returns v, and panics on an error that cannot happen.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
