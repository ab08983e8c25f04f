package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

const (
	tokenCols = `t.id, t.name, t.hash, t.role, t.schemes, t.rules, t.categories, t.lookup,
	t.created, t.created_by, t.expires, v.at`
	tokensFrom = ` FROM tokens t LEFT JOIN token_revocations v ON v.token_id = t.id`
	accessCols = `at, subject_id, scheme, actor, role, token_id, action, purpose, detail, op, scope`
)

// insertAccesses writes access entries in bulk.
var insertAccesses = newBulkInsert("InsertAccesses", "access_log", strings.Split(accessCols, ", "))

var (
	insertTokenQuery = fixed("InsertToken", `INSERT INTO tokens
		(name, hash, role, schemes, rules, categories, lookup, created, created_by, expires)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (hash) DO NOTHING RETURNING id`)
	tokenByHashQuery = fixed("TokenByHash", `SELECT `+tokenCols+tokensFrom+` WHERE t.hash = ?`)
	tokensQuery      = fixed("Tokens", `SELECT `+tokenCols+tokensFrom+` WHERE t.id > ? ORDER BY t.id LIMIT ?`)
	// A revocation is made only of a token that exists, so that an unknown
	// one fails no statement (which would abort a PostgreSQL transaction).
	revokeTokenQuery = fixed("RevokeToken", `INSERT INTO token_revocations (token_id, at, revoked_by)
		SELECT id, ?, ? FROM tokens WHERE id = ?
		ON CONFLICT (token_id) DO NOTHING`)
	tokenExistsQuery = fixed("TokenExists", `SELECT COUNT(*) FROM tokens WHERE id = ?`)
	// An entry is made only for a subject that exists, for the same reason.
	insertAccessQuery = fixed("InsertAccess", `INSERT INTO access_log (`+accessCols+`)
		SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM subjects WHERE id = ? RETURNING id`)
	// A subject's log is its live entries and its archived ones, by ID.
	accessLogQuery = fixed("AccessLog", `SELECT id, `+accessCols+`, 0 AS archived
		FROM access_log WHERE subject_id = ? AND id > ?
		UNION ALL SELECT id, `+accessCols+`, 1
		FROM access_log_archive WHERE subject_id = ? AND id > ?
		ORDER BY id LIMIT ?`)
)

// InsertToken stores tok and sets tok.ID; a Hash already stored is EConflict.
func (t *Tx) InsertToken(ctx context.Context, tok *tally.Token) error {
	var lookup []byte // NULL for none
	if len(tok.Lookup) > 0 {
		lookup = tok.Lookup
	}
	err := t.queryRow(ctx, insertTokenQuery, tok.Name, blob(tok.Hash), string(tok.Role), jsonList(tok.Schemes),
		jsonList(tok.Rules), jsonList(tok.Categories), lookup, micros(tok.Created), tok.CreatedBy, nullTime(tok.Expires),
	).Scan(&tok.ID)
	return t.insertErr(err, "insert token", "a token with this secret already exists", "")
}

// TokenByHash returns the token whose secret hashes to hash, or ENotFound.
func (t *Tx) TokenByHash(ctx context.Context, hash []byte) (*tally.Token, error) {
	return one(t, scanToken, t.queryRow(ctx, tokenByHashQuery, blob(hash)), "read token", "no such token")
}

// Tokens returns up to limit tokens with IDs greater than after, by ID.
func (t *Tx) Tokens(ctx context.Context, after int64, limit int) ([]tally.Token, error) {
	if limit <= 0 {
		return []tally.Token{}, nil
	}
	toks, err := collect(ctx, t, scanToken, tokensQuery, after, limit)
	return toks, t.wrap(err, "list tokens")
}

// RevokeToken records the revocation of token id; a second one is ignored,
// an unknown token is ENotFound.
func (t *Tx) RevokeToken(ctx context.Context, id int64, at time.Time, by string) error {
	n, err := t.exec(ctx, revokeTokenQuery, micros(at), by, id)
	if err != nil || n == 1 {
		return t.wrap(err, "revoke token")
	}
	if err := t.queryRow(ctx, tokenExistsQuery, id).Scan(&n); err != nil {
		return t.wrap(err, "revoke token")
	}
	if n == 0 {
		return NotFound(nil, "no token %d", id)
	}
	return nil // revoked before
}

func scanToken(row Row) (tally.Token, error) {
	var (
		tok                        tally.Token
		role                       string
		schemes, rules, categories string
		created                    int64
		expires, revoked           *int64
	)
	err := row.Scan(&tok.ID, &tok.Name, &tok.Hash, &role, &schemes, &rules, &categories, &tok.Lookup,
		&created, &tok.CreatedBy, &expires, &revoked)
	if err != nil {
		return tok, err
	}
	tok.Role = tally.Role(role)
	if err := parseScopes(schemes, rules, categories, &tok.Schemes, &tok.Rules, &tok.Categories); err != nil {
		return tok, fmt.Errorf("token %d scope: %w", tok.ID, err)
	}
	if len(tok.Lookup) == 0 {
		tok.Lookup = nil
	}
	tok.Created, tok.Expires, tok.Revoked = fromMicros(created), fromNullTime(expires), fromNullTime(revoked)
	return tok, nil
}

// InsertAccess appends an access-log entry and sets its ID; an unknown
// subject is ENotFound, and the transaction stays usable.
func (t *Tx) InsertAccess(ctx context.Context, a *tally.Access) error {
	err := t.queryRow(ctx, insertAccessQuery, micros(a.At), a.Scheme, a.Actor, string(a.Role), nullID(a.TokenID),
		a.Action, a.Purpose, a.Detail, a.Op, a.Scope, a.SubjectID).Scan(&a.ID)
	return t.lookupErr(err, "insert access", "no subject with id %d", a.SubjectID)
}

// InsertAccesses appends entries, as imports and grouped reads write
// them, in multi-row INSERTs, and sets their IDs. An entry for an unknown
// subject is ENotFound; the statement fails, which aborts a PostgreSQL
// transaction.
func (t *Tx) InsertAccesses(ctx context.Context, as []*tally.Access) error {
	rows := make([][]any, len(as))
	for i, a := range as {
		rows[i] = []any{micros(a.At), a.SubjectID, a.Scheme, a.Actor, string(a.Role), nullID(a.TokenID), a.Action, a.Purpose, a.Detail, a.Op, a.Scope}
	}
	ids, err := insertAccesses.insert(ctx, t, rows)
	if err != nil {
		return t.insertErr(err, "insert access entries", "", "an access entry names a subject that does not exist")
	}
	for i, a := range as {
		a.ID = ids[i]
	}
	return nil
}

// AccessLog returns up to limit of a subject's entries after ID after,
// archived ones included (and marked).
func (t *Tx) AccessLog(ctx context.Context, subjectID int64, after int64, limit int) ([]tally.Access, error) {
	if limit <= 0 {
		return []tally.Access{}, nil
	}
	as, err := collect(ctx, t, scanAccess, accessLogQuery, subjectID, after, subjectID, after, limit)
	return as, t.wrap(err, "read access log")
}

func scanAccess(row Row) (tally.Access, error) {
	var (
		a     tally.Access
		at    int64
		role  string
		token *int64
		arch  int64
	)
	err := row.Scan(&a.ID, &at, &a.SubjectID, &a.Scheme, &a.Actor, &role, &token, &a.Action, &a.Purpose, &a.Detail,
		&a.Op, &a.Scope, &arch)
	a.At, a.Role, a.TokenID, a.Archived = fromMicros(at), tally.Role(role), deref(token), arch == 1
	return a, err
}
