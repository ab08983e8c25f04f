package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
)

const tokenCols = `t.id, t.name, t.hash, t.role, t.schemes, t.rules, t.categories, t.lookup,
	t.created, t.created_by, t.expires, v.at`

const (
	insertTokenQuery = `INSERT INTO tokens
		(name, hash, role, schemes, rules, categories, lookup, created, created_by, expires)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	tokenByHashQuery = `SELECT ` + tokenCols + ` FROM tokens t
		LEFT JOIN token_revocations v ON v.token_id = t.id WHERE t.hash = ?`
	tokensQuery = `SELECT ` + tokenCols + ` FROM tokens t
		LEFT JOIN token_revocations v ON v.token_id = t.id WHERE t.id > ? ORDER BY t.id LIMIT ?`
	revokeTokenQuery = `INSERT INTO token_revocations (token_id, at, revoked_by) VALUES (?, ?, ?)
		ON CONFLICT (token_id) DO NOTHING`
	insertAccessQuery = `INSERT INTO access_log
		(at, subject_id, scheme, actor, role, token_id, action, purpose, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	accessLogQuery = `SELECT id, at, subject_id, scheme, actor, role, token_id, action, purpose, detail
		FROM access_log WHERE subject_id = ? AND id > ? ORDER BY id LIMIT ?`
)

// InsertToken stores t and sets t.ID; a Hash already stored is EConflict.
func (t *tx) InsertToken(ctx context.Context, tok *tally.Token) error {
	schemes, rules, categories := jsonList(tok.Schemes), jsonList(tok.Rules), jsonList(tok.Categories)
	var lookup any
	if len(tok.Lookup) > 0 {
		lookup = tok.Lookup
	}
	err := t.queryRow(ctx, insertTokenQuery, tok.Name, blob(tok.Hash), string(tok.Role), schemes, rules, categories,
		lookup, micros(tok.Created), tok.CreatedBy, nullMicros(tok.Expires)).Scan(&tok.ID)
	if isUnique(err) {
		return conflict(err, "a token with this secret already exists")
	}
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

// TokenByHash returns the token whose secret hashes to hash, or ENotFound.
func (t *tx) TokenByHash(ctx context.Context, hash []byte) (*tally.Token, error) {
	tok, err := scanToken(t.queryRow(ctx, tokenByHashQuery, blob(hash)))
	if err != nil {
		return nil, lookupErr(err, "read token", "no such token")
	}
	return tok, nil
}

// Tokens returns up to limit tokens with IDs greater than after, by ID.
func (t *tx) Tokens(ctx context.Context, after int64, limit int) ([]tally.Token, error) {
	if limit <= 0 {
		return []tally.Token{}, nil
	}
	rows, err := t.query(ctx, tokensQuery, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	defer rows.Close()
	out := []tally.Token{}
	for rows.Next() {
		tok, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("list tokens: %w", err)
		}
		out = append(out, *tok)
	}
	return out, rows.Err()
}

// RevokeToken records the revocation of token id; a second one is ignored.
func (t *tx) RevokeToken(ctx context.Context, id int64, at time.Time, by string) error {
	_, err := t.exec(ctx, revokeTokenQuery, id, micros(at), by)
	if isForeignKey(err) {
		return notFound(err, "no token %d", id)
	}
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}

func scanToken(row scanner) (*tally.Token, error) {
	var (
		tok                        tally.Token
		role                       string
		schemes, rules, categories string
		lookup                     []byte
		created                    int64
		expires, revoked           sql.NullInt64
	)
	err := row.Scan(&tok.ID, &tok.Name, &tok.Hash, &role, &schemes, &rules, &categories, &lookup,
		&created, &tok.CreatedBy, &expires, &revoked)
	if err != nil {
		return nil, err
	}
	tok.Role = tally.Role(role)
	if err := parseLists(&tok, schemes, rules, categories); err != nil {
		return nil, err
	}
	if len(lookup) > 0 {
		tok.Lookup = lookup
	}
	tok.Created, tok.Expires, tok.Revoked = fromMicros(created), fromNullMicros(expires), fromNullMicros(revoked)
	return &tok, nil
}

// jsonList stores a scope list as a JSON array ("[]" for none).
func jsonList(s []string) string {
	if len(s) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func parseLists(tok *tally.Token, schemes, rules, categories string) error {
	if err := parseScopes(schemes, rules, categories, &tok.Schemes, &tok.Rules, &tok.Categories); err != nil {
		return fmt.Errorf("token %d scope: %w", tok.ID, err)
	}
	return nil
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

// InsertAccess appends an access-log entry and sets its ID.
func (t *tx) InsertAccess(ctx context.Context, a *tally.Access) error {
	token := sql.NullInt64{Int64: a.TokenID, Valid: a.TokenID != 0}
	err := t.queryRow(ctx, insertAccessQuery, micros(a.At), a.SubjectID, a.Scheme, a.Actor, string(a.Role), token,
		a.Action, a.Purpose, a.Detail).Scan(&a.ID)
	if isForeignKey(err) {
		return notFound(err, "no subject with id %d", a.SubjectID)
	}
	if err != nil {
		return fmt.Errorf("insert access: %w", err)
	}
	return nil
}

// InsertAccesses appends entries one by one: with SQLite a prepared insert
// costs no round trip.
func (t *tx) InsertAccesses(ctx context.Context, as []*tally.Access) error {
	for _, a := range as {
		if err := t.InsertAccess(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// AccessLog returns up to limit of a subject's entries after ID after.
func (t *tx) AccessLog(ctx context.Context, subjectID int64, after int64, limit int) ([]tally.Access, error) {
	if limit <= 0 {
		return []tally.Access{}, nil
	}
	rows, err := t.query(ctx, accessLogQuery, subjectID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read access log: %w", err)
	}
	defer rows.Close()
	out := []tally.Access{}
	for rows.Next() {
		var (
			a     tally.Access
			at    int64
			role  string
			token sql.NullInt64
		)
		if err := rows.Scan(&a.ID, &at, &a.SubjectID, &a.Scheme, &a.Actor, &role, &token, &a.Action, &a.Purpose, &a.Detail); err != nil {
			return nil, fmt.Errorf("read access log: %w", err)
		}
		a.At, a.Role, a.TokenID = fromMicros(at), tally.Role(role), token.Int64
		out = append(out, a)
	}
	return out, rows.Err()
}
