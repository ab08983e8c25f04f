package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// createToken makes a token (admins); the secret is in this answer only.
func (s *Server) createToken(r *http.Request) (int, any, error) {
	var in wire.TokenRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	spec := ledger.TokenSpec{Name: in.Name, Role: in.Role, Schemes: in.Schemes, Rules: in.Rules, Categories: in.Categories, Subject: in.Subject}
	if in.Expires != "" {
		t, err := time.Parse(time.RFC3339, in.Expires)
		if err != nil {
			return 0, nil, tally.FieldErrorf("expires", "want an RFC 3339 time, such as 2027-01-01T00:00:00+08:00")
		}
		spec.Expires = t
	}
	secret, t, err := s.svc.CreateToken(r.Context(), spec)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, createdToken{TokenInfo: ledger.InfoOf(t), Token: secret}, nil
}

// createdToken is a new token with its secret, shown in this answer only:
// a retry gets its replay instead.
type createdToken wire.Token

// replay tells a retry of the request (same Idempotency-Key) that the
// token was made, without its secret, which is not kept anywhere.
func (c createdToken) replay() error {
	return newProblem(string(tally.EConflict), "Idempotency-Key", "problem.token_replayed", c.ID, c.Name, c.ID)
}

func (s *Server) listTokens(r *http.Request) (int, any, error) {
	return idPage(r, func(after int64, limit int) ([]ledger.TokenInfo, error) {
		tokens, err := s.svc.Tokens(r.Context(), after, limit)
		infos := make([]ledger.TokenInfo, len(tokens))
		for i := range tokens {
			infos[i] = ledger.InfoOf(&tokens[i])
		}
		return infos, err
	}, func(t ledger.TokenInfo) int64 { return t.ID })
}

func (s *Server) revokeToken(r *http.Request) (int, any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, nil, tally.Errorf(tally.ENotFound, "no token %q", r.PathValue("id"))
	}
	if err := s.svc.RevokeToken(r.Context(), id); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.Revoked{ID: id, Revoked: true}, nil
}
