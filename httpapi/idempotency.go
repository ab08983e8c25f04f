package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// MaxIdempotencyKey is the longest Idempotency-Key accepted.
const MaxIdempotencyKey = 200

// oneTime is an answer that carries a secret, shown once: a retry of the
// request gets its replay instead, and the secret is never kept. A handler
// whose answer holds a secret returns a value of such a type.
type oneTime interface {
	// replay returns the refusal a retry gets.
	replay() error
}

// idempotent runs a write sent with an Idempotency-Key at most once per
// key and caller (see ledger.Service.Idempotent): the claim of the key,
// the handler's writes and its answer commit in one transaction, so that
// requests racing with one key run once, and the others wait and get the
// first answer again (marked Idempotent-Replayed: true). The same key with
// another request is a conflict. A refusal (400 to 499) changes nothing
// and is kept; faults (500 and above) are not kept, so a retry after a
// fault runs again. A secret in the answer is not kept (oneTime).
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, actor *tally.Actor, key string, h handlerFunc) {
	if len(key) > MaxIdempotencyKey {
		writeProblem(w, r, newProblem(codeMalformed, "Idempotency-Key", "problem.idempotency_key_long", MaxIdempotencyKey))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeProblem(w, r, readError(err))
		return
	}
	sum := sha256.Sum256([]byte(r.Method + " " + r.URL.RequestURI() + "\n" + r.Header.Get("Content-Type") + "\n" + string(body)))
	run := func(ctx context.Context) (send, keep ledger.Reply, err error) {
		req := r.WithContext(ctx)
		req.Body = io.NopCloser(bytes.NewReader(body))
		return answerOf(langOf(r))(h(req))
	}
	out, replayed, err := s.svc.Idempotent(r.Context(), key, hex.EncodeToString(sum[:]), run)
	if err != nil {
		send(w, r, actor, 0, nil, err)
		return
	}
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeRaw(w, out.Status, out.Body)
}

// answerOf returns what encodes a handler's result as the answer to send
// and the one to keep for a retry, a refusal in lang. A fault stays an
// error, which the ledger does not keep.
func answerOf(lang string) func(status int, out any, err error) (send, keep ledger.Reply, _ error) {
	return func(status int, out any, err error) (send, keep ledger.Reply, _ error) {
		return answer(lang, status, out, err)
	}
}

func answer(lang string, status int, out any, err error) (send, keep ledger.Reply, _ error) {
	if err != nil {
		p := problemOf(err, lang)
		if p.Status >= 500 {
			return send, keep, err
		}
		status, out = p.Status, p
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return send, keep, err
	}
	send = ledger.Reply{Status: status, Body: raw}
	o, ok := out.(oneTime)
	if !ok {
		return send, send, nil
	}
	p := problemOf(o.replay(), lang)
	status, out = p.Status, p
	if raw, err = json.Marshal(out); err != nil {
		return send, keep, err
	}
	return send, ledger.Reply{Status: status, Body: raw}, nil
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
