package httpapi

import (
	"context"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/translog"
	"github.com/tallycredit/tally/wire"
)

// serviceLog is the ledger's transparency log as the API serves it; the
// ledger asks the policy (log.read) on every call.
type serviceLog struct{ svc *ledger.Service }

var _ Log = serviceLog{}

func (l serviceLog) Checkpoint(ctx context.Context) ([]byte, error) {
	c, err := l.svc.LogCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	return c.Note, nil
}

func (l serviceLog) Tile(ctx context.Context, path string) ([]byte, error) {
	return l.svc.LogTile(ctx, path)
}

func (l serviceLog) Inclusion(ctx context.Context, kind, ref string, size int64) (*wire.LogProof, error) {
	in, err := l.svc.LogInclusion(ctx, ledger.LogKind(kind), ref, size)
	if err != nil {
		return nil, err
	}
	return &wire.LogProof{Kind: string(in.Kind), Ref: in.Ref, Leaf: in.Leaf, Checkpoint: string(in.Checkpoint.Note), Proof: in.Proof}, nil
}

func (l serviceLog) Consistency(ctx context.Context, from, to int64) (translog.ConsistencyProof, error) {
	return l.svc.LogConsistency(ctx, from, to)
}
