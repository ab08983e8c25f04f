package wire

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// TokenRequest makes an API token (POST /tokens). Absent scopes mean no
// restriction by that scope; Subject names a subject token's holder, and
// Expires is an RFC 3339 time.
type TokenRequest struct {
	Name       string     `json:"name"`
	Role       tally.Role `json:"role"`
	Schemes    []string   `json:"schemes,omitempty"`
	Rules      []string   `json:"rules,omitempty"`
	Categories []string   `json:"categories,omitempty"`
	Subject    string     `json:"subject,omitempty"`
	Expires    string     `json:"expires,omitempty"`
}

// TokenInfo is a token as listed: never its secret.
type TokenInfo = ledger.TokenInfo

// Token is a token with, in Token, its secret. Only the answer that made
// the token carries the secret (it is shown once and never kept); in a
// listing Token is empty and left out.
type Token struct {
	TokenInfo
	Token string `json:"token,omitempty"`
}

// Revoked is the outcome of revoking a token.
type Revoked struct {
	ID      int64 `json:"id"`
	Revoked bool  `json:"revoked"`
}
