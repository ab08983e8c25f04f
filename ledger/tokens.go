package ledger

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// ErrBadToken is returned by Authenticate for a token that is unknown,
// expired or revoked. Callers cannot tell which: that would help guessing.
var ErrBadToken = errors.New("unknown, expired or revoked token")

// tokenPrefix marks tally's API tokens, so that secret scanners and people
// can recognise a leaked one.
const tokenPrefix = "tly_"

// TokenSpec is the input of CreateToken.
type TokenSpec struct {
	Name       string
	Role       tally.Role
	Schemes    []string
	Rules      []string
	Categories []string
	Subject    string    // the subject role: the holder's identifier
	Expires    time.Time // zero: never
}

// CreateToken makes an API token and returns its secret, which is shown
// this once and stored only as a hash.
func (s *Service) CreateToken(ctx context.Context, spec TokenSpec) (string, *tally.Token, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpManageTokens, Target{}); err != nil {
		return "", nil, err
	}
	if strings.TrimSpace(spec.Name) == "" {
		return "", nil, tally.FieldErrorf("name", "name who holds the token")
	}
	if err := tally.CheckText("name", spec.Name, tally.Limits.Name, false); err != nil {
		return "", nil, err
	}
	if err := checkGrant(spec.Role, spec.Subject); err != nil {
		return "", nil, err
	}
	if !spec.Expires.IsZero() && !spec.Expires.After(s.now()) {
		return "", nil, tally.FieldErrorf("expires", "%s has passed", spec.Expires.Format(time.RFC3339))
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secret))
	t := &tally.Token{Name: spec.Name, Hash: sum[:], Role: spec.Role, Schemes: spec.Schemes, Rules: spec.Rules,
		Categories: spec.Categories, Created: s.now(), CreatedBy: a.Name, Expires: spec.Expires}
	err := s.store.Update(ctx, func(tx Tx) error {
		for _, scheme := range spec.Schemes {
			if _, err := s.versions(ctx, tx, scheme); err != nil {
				return err
			}
		}
		if spec.Subject != "" {
			subj, err := s.subject(ctx, tx, spec.Subject)
			if err != nil {
				return err
			}
			t.Lookup = subj.Lookup
		}
		return tx.InsertToken(ctx, t)
	})
	if err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// checkGrant checks the role of a new token or account, and that a
// subject's grant, and only a subject's, names its holder's identifier.
func checkGrant(role tally.Role, subject string) error {
	if _, ok := tally.ParseRole(string(role)); !ok || role == tally.Public {
		return tally.FieldErrorf("role", "want one of admin, rule-maker, recorder, agency, reviewer, verifier, subject; got %q", role)
	}
	if (role == tally.SubjectR) != (subject != "") {
		return tally.FieldErrorf("subject", "a subject's token or account, and only a subject's, names its holder's identifier")
	}
	return nil
}

// Tokens lists tokens a page at a time (admins only); never their secrets.
func (s *Service) Tokens(ctx context.Context, after int64, limit int) ([]tally.Token, error) {
	if err := authorize(ActorOf(ctx), OpManageTokens, Target{}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var out []tally.Token
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Tokens(ctx, after, limit)
		return err
	})
	return out, err
}

// RevokeToken ends a token now; revoking it again changes nothing.
func (s *Service) RevokeToken(ctx context.Context, id int64) error {
	a := ActorOf(ctx)
	if err := authorize(a, OpManageTokens, Target{}); err != nil {
		return err
	}
	defer s.tokens.forget()
	return s.store.Update(ctx, func(tx Tx) error { return tx.RevokeToken(ctx, id, s.now(), a.Name) })
}

// Authenticate returns the actor a token secret stands for, or
// ErrBadToken. A token that authenticated is remembered for up to
// TokenCacheTTL (tokencache.go), so a revocation made elsewhere bites
// within that time; one made through this Service bites at once.
func (s *Service) Authenticate(ctx context.Context, secret string) (*tally.Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		return nil, ErrBadToken
	}
	sum := sha256.Sum256([]byte(secret))
	t, gen := s.tokens.get(sum)
	if t == nil {
		loaded := s.tokens.wall()
		err := s.store.View(ctx, func(tx Tx) error {
			var err error
			t, err = tx.TokenByHash(ctx, sum[:])
			return err
		})
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return nil, ErrBadToken
		}
		if err != nil {
			return nil, err
		}
		s.tokens.put(sum, t, gen, loaded)
	}
	now := s.now()
	if !t.Revoked.IsZero() && !t.Revoked.After(now) || !t.Expires.IsZero() && !t.Expires.After(now) {
		return nil, ErrBadToken
	}
	return &tally.Actor{Name: t.Name, Role: t.Role, Schemes: slices.Clone(t.Schemes), Rules: slices.Clone(t.Rules),
		Categories: slices.Clone(t.Categories), Lookup: t.Lookup, TokenID: t.ID}, nil
}

// TokenInfo is a token as it may be shown: never its secret or hash.
type TokenInfo struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       tally.Role `json:"role"`
	Schemes    []string   `json:"schemes"`
	Rules      []string   `json:"rules"`
	Categories []string   `json:"categories"`
	Created    time.Time  `json:"created"`
	CreatedBy  string     `json:"created_by"`
	Expires    time.Time  `json:"expires,omitzero"`
	Revoked    time.Time  `json:"revoked,omitzero"`
}

// InfoOf describes a token without its secret; absent scopes are empty
// lists.
func InfoOf(t *tally.Token) TokenInfo {
	list := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return s
	}
	return TokenInfo{t.ID, t.Name, t.Role, list(t.Schemes), list(t.Rules), list(t.Categories), t.Created, t.CreatedBy, t.Expires, t.Revoked}
}
