package client

import (
	"context"
	"net/url"
	"strconv"

	"github.com/tallycredit/tally/wire"
)

// LogCheckpoint returns the transparency log's latest signed checkpoint,
// a note (public).
func (c *Client) LogCheckpoint(ctx context.Context) ([]byte, error) {
	var out []byte
	return out, c.getJSON(ctx, "/log/checkpoint", nil, nil, &out)
}

// LogTile returns a tile of the log by its path below /log/, such as
// tile/0/000 or tile/entries/001.p/5 (public).
func (c *Client) LogTile(ctx context.Context, path string) ([]byte, error) {
	var out []byte
	return out, c.getJSON(ctx, "/log/"+path, nil, nil, &out)
}

// LogProof returns the proof that entry (kind, ref) is in the log's tree
// of the signed checkpoint of size entries (0: the latest) (public).
func (c *Client) LogProof(ctx context.Context, kind, ref string, size int64) (*wire.LogProof, error) {
	q := url.Values{"kind": {kind}, "ref": {ref}}
	if size > 0 {
		q.Set("size", strconv.FormatInt(size, 10))
	}
	var out wire.LogProof
	return &out, c.getJSON(ctx, "/api/v1/log/proof", q, nil, &out)
}

// LogConsistency returns the proof that the log's tree of to entries
// extends its tree of from entries (public).
func (c *Client) LogConsistency(ctx context.Context, from, to int64) (*wire.LogConsistency, error) {
	q := url.Values{"from": {strconv.FormatInt(from, 10)}, "to": {strconv.FormatInt(to, 10)}}
	var out wire.LogConsistency
	return &out, c.getJSON(ctx, "/api/v1/log/consistency", q, nil, &out)
}
