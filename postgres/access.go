package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
)

const tokenCols = `t.id, t.name, t.hash, t.role, t.schemes, t.rules, t.categories, t.lookup,
	t.created, t.created_by, t.expires, v.at`

const (
	insertTokenQuery = `INSERT INTO tokens
		(name, hash, role, schemes, rules, categories, lookup, created, created_by, expires)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (hash) DO NOTHING RETURNING id`
	tokenByHashQuery = `SELECT ` + tokenCols + ` FROM tokens t
		LEFT JOIN token_revocations v ON v.token_id = t.id WHERE t.hash = $1`
	tokensQuery = `SELECT ` + tokenCols + ` FROM tokens t
		LEFT JOIN token_revocations v ON v.token_id = t.id WHERE t.id > $1 ORDER BY t.id LIMIT $2`
	revokeTokenQuery = `INSERT INTO token_revocations (token_id, at, revoked_by)
		SELECT id, $2, $3 FROM tokens WHERE id = $1
		ON CONFLICT (token_id) DO NOTHING`
	tokenExistsQuery  = `SELECT COUNT(*) FROM tokens WHERE id = $1`
	insertAccessQuery = `INSERT INTO access_log
		(at, subject_id, scheme, actor, role, token_id, action, purpose, detail)
		SELECT $1, id, $3, $4, $5, $6, $7, $8, $9 FROM subjects WHERE id = $2 RETURNING id`
	accessLogQuery = `SELECT id, at, subject_id, scheme, actor, role, token_id, action, purpose, detail
		FROM access_log WHERE subject_id = $1 AND id > $2 ORDER BY id LIMIT $3`
)

// InsertToken stores tok and sets tok.ID; a Hash already stored is EConflict.
func (t *tx) InsertToken(ctx context.Context, tok *tally.Token) error {
	var lookup []byte
	if len(tok.Lookup) > 0 {
		lookup = tok.Lookup
	}
	err := t.queryRow(ctx, insertTokenQuery, tok.Name, blob(tok.Hash), string(tok.Role), jsonList(tok.Schemes),
		jsonList(tok.Rules), jsonList(tok.Categories), lookup, micros(tok.Created), tok.CreatedBy, nullMicros(tok.Expires),
	).Scan(&tok.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return conflict(nil, "a token with this secret already exists")
	}
	if err != nil {
		return storeErr(err, "insert token")
	}
	return nil
}

// TokenByHash returns the token whose secret hashes to hash, or ENotFound.
func (t *tx) TokenByHash(ctx context.Context, hash []byte) (*tally.Token, error) {
	tok, err := scanToken(t.queryRow(ctx, tokenByHashQuery, blob(hash)))
	if err != nil {
		return nil, lookupErr(err, "read token", "no such token")
	}
	return &tok, nil
}

// Tokens returns up to limit tokens with IDs greater than after, by ID.
func (t *tx) Tokens(ctx context.Context, after int64, limit int) ([]tally.Token, error) {
	if limit <= 0 {
		return []tally.Token{}, nil
	}
	out, err := collect(ctx, t, scanToken, tokensQuery, after, limit)
	if err != nil {
		return nil, storeErr(err, "list tokens")
	}
	return out, nil
}

// RevokeToken records the revocation of token id; a second one is ignored.
func (t *tx) RevokeToken(ctx context.Context, id int64, at time.Time, by string) error {
	tag, err := t.exec(ctx, revokeTokenQuery, id, micros(at), by)
	if err != nil {
		return storeErr(err, "revoke token")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var n int64
	if err := t.queryRow(ctx, tokenExistsQuery, id).Scan(&n); err != nil {
		return storeErr(err, "revoke token")
	}
	if n == 0 {
		return notFound(nil, "no token %d", id)
	}
	return nil // revoked before
}

func scanToken(row scanner) (tally.Token, error) {
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
	tok.Created, tok.Expires, tok.Revoked = fromMicros(created), fromNullMicros(expires), fromNullMicros(revoked)
	return tok, nil
}

// jsonList stores a scope list as a JSON array ("[]" for none).
func jsonList(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// parseScopes reads three JSON scope lists, as jsonList wrote them, into
// the slices given; an empty list leaves its slice nil.
func parseScopes(schemes, rules, categories string, dst ...*[]string) error {
	for i, src := range []string{schemes, rules, categories} {
		var list []string
		if err := json.Unmarshal([]byte(src), &list); err != nil {
			return err
		}
		if len(list) > 0 {
			*dst[i] = list
		}
	}
	return nil
}

// InsertAccess appends an access-log entry and sets its ID; an unknown
// subject is ENotFound (checked in the statement, so the transaction
// stays usable).
func (t *tx) InsertAccess(ctx context.Context, a *tally.Access) error {
	var token *int64
	if a.TokenID != 0 {
		token = &a.TokenID
	}
	err := t.queryRow(ctx, insertAccessQuery, micros(a.At), a.SubjectID, a.Scheme, a.Actor, string(a.Role), token,
		a.Action, a.Purpose, a.Detail).Scan(&a.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(nil, "no subject with id %d", a.SubjectID)
	}
	if err != nil {
		return storeErr(err, "insert access")
	}
	return nil
}

// InsertAccesses appends entries with one statement per call: ids are
// reserved from the sequence, then the rows go in with COPY.
func (t *tx) InsertAccesses(ctx context.Context, as []*tally.Access) error {
	if len(as) == 0 {
		return nil
	}
	ids, err := collect(ctx, t, func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	}, `SELECT nextval(pg_get_serial_sequence('access_log', 'id')) FROM generate_series(1, $1)`, len(as))
	if err != nil {
		return storeErr(err, "reserve access ids")
	}
	rows := make([][]any, len(as))
	for i, a := range as {
		var token *int64
		if a.TokenID != 0 {
			token = &a.TokenID
		}
		rows[i] = []any{ids[i], micros(a.At), a.SubjectID, a.Scheme, a.Actor, string(a.Role), token, a.Action, a.Purpose, a.Detail}
	}
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{"access_log"},
		[]string{"id", "at", "subject_id", "scheme", "actor", "role", "token_id", "action", "purpose", "detail"}, pgx.CopyFromRows(rows))
	t.note(err)
	if sqlState(err) == foreignKeyViolation {
		return notFound(err, "an access entry names a subject that does not exist")
	}
	if err != nil {
		return storeErr(err, "insert access entries")
	}
	for i, a := range as {
		a.ID = ids[i]
	}
	return nil
}

// AccessLog returns up to limit of a subject's entries after ID after.
func (t *tx) AccessLog(ctx context.Context, subjectID int64, after int64, limit int) ([]tally.Access, error) {
	if limit <= 0 {
		return []tally.Access{}, nil
	}
	out, err := collect(ctx, t, scanAccess, accessLogQuery, subjectID, after, limit)
	if err != nil {
		return nil, storeErr(err, "read access log")
	}
	return out, nil
}

func scanAccess(row scanner) (tally.Access, error) {
	var (
		a     tally.Access
		at    int64
		role  string
		token *int64
	)
	if err := row.Scan(&a.ID, &at, &a.SubjectID, &a.Scheme, &a.Actor, &role, &token, &a.Action, &a.Purpose, &a.Detail); err != nil {
		return a, err
	}
	a.At, a.Role = fromMicros(at), tally.Role(role)
	if token != nil {
		a.TokenID = *token
	}
	return a, nil
}
