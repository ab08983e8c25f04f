package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"github.com/tallycredit/tally"
)

// MaxIdempotencyKey is the longest Idempotency-Key accepted.
const MaxIdempotencyKey = 200

// idempotent runs a write sent with an Idempotency-Key at most once per
// key and caller: a retry with the same request gets the first response
// again (marked Idempotent-Replayed: true); the same key with another
// request is a conflict. Responses of 500 and above are not kept, so a
// retry after a fault runs again. Records are also idempotent by their ref,
// so two first attempts racing each other still write one record.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, actor *tally.Actor, key string, h handlerFunc) {
	if len(key) > MaxIdempotencyKey {
		writeProblem(w, problemOf(newProblem(codeMalformed, "Idempotency-Key", "longer than 200 characters")))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeProblem(w, problemOf(readError(err)))
		return
	}
	sum := sha256.Sum256([]byte(r.Method + " " + r.URL.RequestURI() + "\n" + r.Header.Get("Content-Type") + "\n" + string(body)))
	hash := hex.EncodeToString(sum[:])
	ctx := r.Context()
	saved, err := s.svc.SavedResponse(ctx, key)
	switch {
	case err == nil && saved.RequestHash != hash:
		writeProblem(w, problemOf(tally.Errorf(tally.EConflict, "Idempotency-Key %q was used for a different request", key)))
		return
	case err == nil:
		w.Header().Set("Idempotent-Replayed", "true")
		writeRaw(w, saved.Status, saved.Body)
		return
	case tally.ErrorCodeOf(err) != tally.ENotFound:
		writeProblem(w, problemOf(err))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	status, out, err := h(r)
	if err != nil {
		p := problemOf(err)
		status, out = p.Status, p
	}
	raw, merr := json.Marshal(out)
	if merr != nil {
		writeProblem(w, problemOf(merr))
		return
	}
	if status < 500 {
		if err := s.svc.SaveResponse(ctx, key, hash, status, raw); err != nil && tally.ErrorCodeOf(err) != tally.EConflict {
			s.log.Error("save idempotent response", "err", err)
		}
	}
	writeRaw(w, status, raw)
}

// writeRaw sends a kept JSON body: a problem when the status is an error.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	ct := "application/json"
	if status >= 400 {
		ct = "application/problem+json"
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
