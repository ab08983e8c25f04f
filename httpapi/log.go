package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	"github.com/tallycredit/tally/wire"
)

// Log is the transparency log as the API serves it: under /log/ as C2SP
// tlog-tiles, and its proofs under /api/v1/log/.
type Log interface {
	// Checkpoint returns the latest signed checkpoint (a note), or
	// ENotFound before the first.
	Checkpoint(ctx context.Context) ([]byte, error)
	// Tile returns a tile of the tree of the latest checkpoint by its
	// path below /log/ (tile/0/000, tile/entries/001.p/5): EInvalid for a
	// path that names no tile, ENotFound for a tile beyond the checkpoint.
	Tile(ctx context.Context, path string) ([]byte, error)
	// Inclusion proves that the entry (kind, ref) is in the tree of the
	// checkpoint of size leaves (0: the latest checkpoint).
	Inclusion(ctx context.Context, kind, ref string, size int64) (*wire.LogProof, error)
	// Consistency proves that the tree of to leaves extends the tree of
	// from leaves.
	Consistency(ctx context.Context, from, to int64) (translog.ConsistencyProof, error)
}

// How long a reader may keep what the log serves: a full tile never
// changes; the checkpoint and partial tiles grow as entries arrive.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheGrowing   = "public, max-age=10"
)

// served is an answer sent as it is, not as JSON: the log's checkpoint
// and tiles.
type served struct {
	contentType, cacheControl string
	data                      []byte
}

func (b served) write(w http.ResponseWriter, status int) {
	h := w.Header()
	h.Set("Content-Type", b.contentType)
	h.Set("Cache-Control", b.cacheControl)
	h.Set("Content-Length", strconv.Itoa(len(b.data)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(b.data)
}

// transLog returns the log the server serves: the ledger's, unless
// Config.Log names another. Who may read it is the ledger's to say (the
// log.read operation, granted to everyone).
func (s *Server) transLog() Log {
	if s.cfg.Log == nil {
		return serviceLog{s.svc}
	}
	return s.cfg.Log
}

// logCheckpoint answers the latest signed checkpoint.
func (s *Server) logCheckpoint(r *http.Request) (int, any, error) {
	lg := s.transLog()
	note, err := lg.Checkpoint(r.Context())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, served{"text/plain; charset=utf-8", cacheGrowing, note}, nil
}

// logTile answers a hash tile or an entry bundle.
func (s *Server) logTile(r *http.Request) (int, any, error) {
	lg := s.transLog()
	path := "tile/" + r.PathValue("path")
	data, err := lg.Tile(r.Context(), path)
	if err != nil {
		return 0, nil, err
	}
	cache := cacheImmutable
	if strings.Contains(path, ".p/") {
		cache = cacheGrowing
	}
	return http.StatusOK, served{"application/octet-stream", cache, data}, nil
}

// logProof answers the inclusion proof of one entry.
func (s *Server) logProof(r *http.Request) (int, any, error) {
	lg := s.transLog()
	q := r.URL.Query()
	kind, ref := q.Get("kind"), q.Get("ref")
	if kind == "" {
		return 0, nil, tally.FieldErrorf("kind", "name the kind of entry (record, list-entry, ...)")
	}
	if ref == "" {
		return 0, nil, tally.FieldErrorf("ref", "name the entry")
	}
	size, err := sizeParam(r, "size", false)
	if err != nil {
		return 0, nil, err
	}
	p, err := lg.Inclusion(r.Context(), kind, ref, size)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, p, nil
}

// logConsistency answers the consistency proof between two tree sizes.
func (s *Server) logConsistency(r *http.Request) (int, any, error) {
	lg := s.transLog()
	from, err := sizeParam(r, "from", true)
	if err != nil {
		return 0, nil, err
	}
	to, err := sizeParam(r, "to", true)
	if err != nil {
		return 0, nil, err
	}
	p, err := lg.Consistency(r.Context(), from, to)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.LogConsistency(p), nil
}

// sizeParam reads ?name=N, a tree size (0 when absent and not required).
func sizeParam(r *http.Request, name string, required bool) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" && !required {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, tally.FieldErrorf(name, "%q: want a tree size, a whole number from 0", v)
	}
	return n, nil
}
