package witness

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

// Required is a third-party witness a Gate requires: where it serves its
// latest cosigned checkpoint and the key its cosignatures verify with.
type Required struct {
	// URL is the witness's address; it serves its checkpoint at
	// URL + CheckpointPath (tally audit --listen).
	URL string
	// Key verifies its cosignature/v1 signatures (NewCosignatureVerifier).
	Key note.Verifier
}

// SplitView is a witness that was shown by the log a history other than
// the one the gate audited: the log keeps two histories, one for whom it
// wants to deceive. Evidence is the directory where both checkpoints are
// kept.
type SplitView struct {
	Witness  string
	Evidence string
}

// maxWitnessCheckpoint bounds what a witness's answer may weigh: a
// checkpoint and its signatures are a few hundred bytes.
const maxWitnessCheckpoint = 64 << 10

// askWitnesses fetches each required witness's cosigned checkpoint and
// keeps, for each that counts, when it cosigned; a witness shown another
// history than trusted is a SplitView, kept for good.
func (g *Gate) askWitnesses(ctx context.Context, trusted translog.Checkpoint) {
	for i, r := range g.Witnesses {
		at, split, err := g.askWitness(ctx, r, trusted)
		g.mu.Lock()
		if len(g.cosignedAt) != len(g.Witnesses) {
			g.cosignedAt, g.why = make([]time.Time, len(g.Witnesses)), make([]string, len(g.Witnesses))
		}
		switch {
		case split != nil:
			if g.split == nil {
				g.split = split
			}
		case err == nil && at.After(g.cosignedAt[i]):
			g.cosignedAt[i] = at
		}
		g.tellWhy(i, r, split, err)
		g.mu.Unlock()
	}
}

// tellWhy logs, when it changes, why witness i does not count now, or
// that it counts again: Heard says only how many count, and an operator
// needs to know which witness is missing and why. Called with g.mu held.
func (g *Gate) tellWhy(i int, r Required, split *SplitView, err error) {
	why := ""
	switch {
	case split != nil:
		why = "shown another history; evidence in " + split.Evidence
	case err != nil:
		why = err.Error()
	}
	changed := why != g.why[i]
	g.why[i] = why
	if !changed || g.Log == nil {
		return
	}
	if why == "" {
		g.Log.Info("a witness counts again", "witness", r.Key.Name(), "url", r.URL)
		return
	}
	g.Log.Warn("a witness does not count", "witness", r.Key.Name(), "url", r.URL, "why", why)
}

// askWitness returns when witness r cosigned a checkpoint consistent with
// trusted, or the SplitView its checkpoint proves, or why it does not
// count now (which proves nothing against the log).
func (g *Gate) askWitness(ctx context.Context, r Required, trusted translog.Checkpoint) (time.Time, *SplitView, error) {
	msg, err := g.fetchWitness(ctx, r.URL)
	if err != nil {
		return time.Time{}, nil, err
	}
	c, at, err := cosigned(msg, g.Witness.Log, r.Key)
	if err != nil {
		return time.Time{}, nil, err
	}
	if at.After(g.now().Add(g.MaxLag)) {
		return time.Time{}, nil, tally.Errorf(tally.EInvalid, "the witness %s cosigned at %s, in the future", r.Key.Name(), at.UTC().Format(time.RFC3339))
	}
	consistent, err := g.consistent(ctx, trusted, c)
	if err != nil {
		return time.Time{}, nil, err
	}
	if !consistent {
		trustedMsg, err := readState(g.Witness.Dir, TrustedFile)
		if err != nil {
			return time.Time{}, nil, err
		}
		dir, err := g.Witness.keepEvidence("split-view-"+evidenceName(r.Key.Name()), trustedMsg, msg)
		if err != nil {
			return time.Time{}, nil, err
		}
		return time.Time{}, &SplitView{Witness: r.Key.Name(), Evidence: dir}, nil
	}
	return at, nil, nil
}

// consistent reports whether a and b are checkpoints of one history: the
// same root at the same size, or else a consistency proof from the log
// between the two sizes that holds. Failing to get the proof is an error,
// not a finding.
func (g *Gate) consistent(ctx context.Context, a, b translog.Checkpoint) (bool, error) {
	if a.Size > b.Size {
		a, b = b, a
	}
	switch {
	case a.Size == b.Size:
		return a.Root == b.Root, nil
	case a.Size == 0:
		return true, nil
	}
	p, err := client.New(g.Witness.From, "", g.Witness.HTTP).LogConsistency(ctx, a.Size, b.Size)
	if err != nil {
		return false, err
	}
	if p.From != a.Size || p.To != b.Size {
		return false, tally.Errorf(tally.EInvalid, "the consistency proof is from %d to %d entries, not from %d to %d", p.From, p.To, a.Size, b.Size)
	}
	return p.Verify(a.Root, b.Root) == nil, nil
}

// fetchWitness reads a witness's latest cosigned checkpoint.
func (g *Gate) fetchWitness(ctx context.Context, base string) ([]byte, error) {
	hc := g.Witness.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+CheckpointPath, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("witness %s: %s", base, resp.Status)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxWitnessCheckpoint+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxWitnessCheckpoint {
		return nil, fmt.Errorf("witness %s: the checkpoint is over %d bytes", base, maxWitnessCheckpoint)
	}
	return b, nil
}

// counted returns how many required witnesses cosigned, within MaxLag of
// now, a checkpoint consistent with the one audited. The caller holds mu.
func (g *Gate) counted(now time.Time) int {
	n := 0
	for _, at := range g.cosignedAt {
		if !at.IsZero() && now.Sub(at) <= g.MaxLag && at.Sub(now) <= g.MaxLag {
			n++
		}
	}
	return n
}

// evidenceName keeps of a key name what a file name may hold.
func evidenceName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ' ' || r < ' ' {
			return '-'
		}
		return r
	}, name)
}
