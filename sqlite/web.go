package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
)

// accountSelect reads accounts with their latest password (by at, then
// id: one backward seek of account_passwords_account) and their
// disablement; the caller appends the WHERE clause on a.
const accountSelect = `SELECT a.id, a.name, a.role, a.schemes, a.rules, a.categories, a.lookup,
	a.created, a.created_by, p.hash, p.at, d.at
	FROM accounts a
	LEFT JOIN account_passwords p ON p.id = (
		SELECT p2.id FROM account_passwords p2 WHERE p2.account_id = a.id
		ORDER BY p2.at DESC, p2.id DESC
		LIMIT 1)
	LEFT JOIN account_disablements d ON d.account_id = a.id
	`

const (
	insertAccountQuery = `INSERT INTO accounts
		(name, role, schemes, rules, categories, lookup, created, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	insertPasswordQuery = `INSERT INTO account_passwords (account_id, hash, at, set_by) VALUES (?, ?, ?, ?)`
	accountByNameQuery  = accountSelect + `WHERE a.name = ?`
	accountByIDQuery    = accountSelect + `WHERE a.id = ?`
	accountsQuery       = accountSelect + `WHERE a.id > ? ORDER BY a.id LIMIT ?`
	disableAccountQuery = `INSERT INTO account_disablements (account_id, at, disabled_by) VALUES (?, ?, ?)
		ON CONFLICT (account_id) DO NOTHING`

	insertSessionQuery = `INSERT INTO sessions (hash, account_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)`
	sessionByHashQuery = `SELECT s.hash, s.account_id, s.csrf, s.created, s.expires, e.at
		FROM sessions s LEFT JOIN session_ends e ON e.session_hash = s.hash WHERE s.hash = ?`
	endSessionQuery = `INSERT INTO session_ends (session_hash, at) VALUES (?, ?)
		ON CONFLICT (session_hash) DO NOTHING`

	insertEvidenceQuery = `INSERT INTO evidence (hash, type, data, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?)`
	evidenceByHashQuery = `SELECT hash, type, data, uploaded_at, uploaded_by FROM evidence WHERE hash = ?`

	insertEvidenceItemQuery = `INSERT INTO evidence_items (hash, scheme, uploaded_at, uploaded_by)
		VALUES (?, ?, ?, ?) RETURNING id`
	uploadedEvidenceQuery = `SELECT i.id, i.hash, i.scheme, COALESCE(b.record_id, 0), i.uploaded_at, i.uploaded_by
		FROM evidence_items i LEFT JOIN evidence_bindings b ON b.item_id = i.id
		WHERE i.scheme = ? AND i.hash = ? AND i.uploaded_by = ?
		ORDER BY b.record_id IS NOT NULL, i.id LIMIT 1`
	bindEvidenceQuery     = `INSERT INTO evidence_bindings (item_id, record_id) VALUES (?, ?)`
	evidenceOfRecordQuery = `SELECT i.id, i.hash, i.scheme, b.record_id, i.uploaded_at, i.uploaded_by
		FROM evidence_bindings b JOIN evidence_items i ON i.id = b.item_id WHERE b.record_id = ?`
)

// InsertAccount stores a and its first password (a.PasswordHash, set at
// a.PasswordSet by a.CreatedBy) and sets a.ID; a Name already used is
// EConflict. a.Disabled is not stored: DisableAccount records that.
func (t *tx) InsertAccount(ctx context.Context, a *tally.Account) error {
	var lookup any
	if len(a.Lookup) > 0 {
		lookup = a.Lookup
	}
	var id int64
	err := t.queryRow(ctx, insertAccountQuery, a.Name, string(a.Role), jsonList(a.Schemes), jsonList(a.Rules),
		jsonList(a.Categories), lookup, micros(a.Created), a.CreatedBy).Scan(&id)
	if isUnique(err) {
		return conflict(err, "an account named %q already exists", a.Name)
	}
	if err != nil {
		return fmt.Errorf("insert account: %w", err)
	}
	if _, err := t.exec(ctx, insertPasswordQuery, id, a.PasswordHash, micros(a.PasswordSet), a.CreatedBy); err != nil {
		return fmt.Errorf("insert account password: %w", err)
	}
	a.ID = id
	return nil
}

// AccountByName returns the account signing in as name, or ENotFound.
func (t *tx) AccountByName(ctx context.Context, name string) (*tally.Account, error) {
	a, err := scanAccount(t.queryRow(ctx, accountByNameQuery, name))
	if err != nil {
		return nil, lookupErr(err, "read account", "no account named %q", name)
	}
	return &a, nil
}

// AccountByID returns the account with the given ID, or ENotFound.
func (t *tx) AccountByID(ctx context.Context, id int64) (*tally.Account, error) {
	a, err := scanAccount(t.queryRow(ctx, accountByIDQuery, id))
	if err != nil {
		return nil, lookupErr(err, "read account", "no account with id %d", id)
	}
	return &a, nil
}

// Accounts returns up to limit accounts with IDs greater than after, by ID.
func (t *tx) Accounts(ctx context.Context, after int64, limit int) ([]tally.Account, error) {
	out := []tally.Account{}
	if limit <= 0 {
		return out, nil
	}
	rows, err := t.query(ctx, accountsQuery, after, limit)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("list accounts: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return out, nil
}

// SetPassword appends a password for an account; an unknown ID is ENotFound.
func (t *tx) SetPassword(ctx context.Context, accountID int64, hash string, at time.Time, by string) error {
	_, err := t.exec(ctx, insertPasswordQuery, accountID, hash, micros(at), by)
	if isForeignKey(err) {
		return notFound(err, "no account with id %d", accountID)
	}
	if err != nil {
		return fmt.Errorf("set password of account %d: %w", accountID, err)
	}
	return nil
}

// DisableAccount records that an account may no longer sign in; a second
// disablement is ignored. An unknown ID is ENotFound.
func (t *tx) DisableAccount(ctx context.Context, accountID int64, at time.Time, by string) error {
	_, err := t.exec(ctx, disableAccountQuery, accountID, micros(at), by)
	if isForeignKey(err) {
		return notFound(err, "no account with id %d", accountID)
	}
	if err != nil {
		return fmt.Errorf("disable account %d: %w", accountID, err)
	}
	return nil
}

// scanAccount reads the columns of accountSelect.
func scanAccount(row scanner) (tally.Account, error) {
	var (
		a                          tally.Account
		role                       string
		schemes, rules, categories string
		lookup                     []byte
		created                    int64
		hash                       sql.NullString
		passwordSet, disabled      sql.NullInt64
	)
	err := row.Scan(&a.ID, &a.Name, &role, &schemes, &rules, &categories, &lookup,
		&created, &a.CreatedBy, &hash, &passwordSet, &disabled)
	if err != nil {
		return a, err
	}
	a.Role = tally.Role(role)
	if err := parseScopes(schemes, rules, categories, &a.Schemes, &a.Rules, &a.Categories); err != nil {
		return a, fmt.Errorf("account %d scope: %w", a.ID, err)
	}
	if len(lookup) > 0 {
		a.Lookup = lookup
	}
	a.Created, a.PasswordHash = fromMicros(created), hash.String
	a.PasswordSet, a.Disabled = fromNullMicros(passwordSet), fromNullMicros(disabled)
	return a, nil
}

// InsertSession stores s; a Hash already stored is EConflict and an
// unknown account ENotFound. s.Ended is not stored: EndSession records it.
func (t *tx) InsertSession(ctx context.Context, s *tally.Session) error {
	_, err := t.exec(ctx, insertSessionQuery, blob(s.Hash), s.AccountID, s.CSRF, micros(s.Created), micros(s.Expires))
	switch {
	case isUnique(err):
		return conflict(err, "a session with this secret already exists")
	case isForeignKey(err):
		return notFound(err, "no account with id %d", s.AccountID)
	case err != nil:
		return fmt.Errorf("insert session: %w", err)
	}
	return nil
}

// SessionByHash returns the session whose secret hashes to hash, ended or
// expired too, or ENotFound.
func (t *tx) SessionByHash(ctx context.Context, hash []byte) (*tally.Session, error) {
	var (
		s                tally.Session
		created, expires int64
		ended            sql.NullInt64
	)
	err := t.queryRow(ctx, sessionByHashQuery, blob(hash)).Scan(&s.Hash, &s.AccountID, &s.CSRF, &created, &expires, &ended)
	if err != nil {
		return nil, lookupErr(err, "read session", "no such session")
	}
	s.Created, s.Expires, s.Ended = fromMicros(created), fromMicros(expires), fromNullMicros(ended)
	return &s, nil
}

// EndSession records a sign-out; a second one is ignored. An unknown hash
// is ENotFound.
func (t *tx) EndSession(ctx context.Context, hash []byte, at time.Time) error {
	_, err := t.exec(ctx, endSessionQuery, blob(hash), micros(at))
	if isForeignKey(err) {
		return notFound(err, "no such session")
	}
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// InsertEvidence stores a file; a Hash already stored is EConflict.
func (t *tx) InsertEvidence(ctx context.Context, e *tally.Evidence) error {
	_, err := t.exec(ctx, insertEvidenceQuery, e.Hash, e.Type, blob(e.Data), micros(e.UploadedAt), e.UploadedBy)
	if isUnique(err) {
		return conflict(err, "evidence sha256:%s is already stored", e.Hash)
	}
	if err != nil {
		return fmt.Errorf("insert evidence: %w", err)
	}
	return nil
}

// EvidenceByHash returns the file with the given hex SHA-256, or ENotFound.
func (t *tx) EvidenceByHash(ctx context.Context, hash string) (*tally.Evidence, error) {
	var (
		e  tally.Evidence
		at int64
	)
	err := t.queryRow(ctx, evidenceByHashQuery, hash).Scan(&e.Hash, &e.Type, &e.Data, &at, &e.UploadedBy)
	if err != nil {
		return nil, lookupErr(err, "read evidence", "no evidence sha256:%s", hash)
	}
	e.UploadedAt = fromMicros(at)
	return &e, nil
}

// InsertEvidenceItem stores an unbound item and sets its ID; a Hash not
// stored in evidence is ENotFound.
func (t *tx) InsertEvidenceItem(ctx context.Context, it *tally.EvidenceItem) error {
	err := t.queryRow(ctx, insertEvidenceItemQuery, it.Hash, it.Scheme, micros(it.UploadedAt), it.UploadedBy).Scan(&it.ID)
	if isForeignKey(err) {
		return notFound(err, "no evidence sha256:%s", it.Hash)
	}
	if err != nil {
		return fmt.Errorf("insert evidence item: %w", err)
	}
	return nil
}

// UploadedEvidence returns the oldest unbound item of a file uploaded by
// by for scheme; if every one is bound, one of those; or ENotFound.
func (t *tx) UploadedEvidence(ctx context.Context, scheme, hash, by string) (*tally.EvidenceItem, error) {
	it, err := scanEvidenceItem(t.queryRow(ctx, uploadedEvidenceQuery, scheme, hash, by))
	if err != nil {
		return nil, lookupErr(err, "read evidence item", "no file sha256:%s uploaded by %s for scheme %s", hash, by, scheme)
	}
	return it, nil
}

// BindEvidence binds an item to a record once; an item or a record
// already bound is EConflict, an unknown one ENotFound.
func (t *tx) BindEvidence(ctx context.Context, itemID, recordID int64) error {
	_, err := t.exec(ctx, bindEvidenceQuery, itemID, recordID)
	if isUnique(err) {
		return conflict(err, "evidence item %d or record %d is already bound", itemID, recordID)
	}
	if isForeignKey(err) {
		return notFound(err, "no evidence item %d or record %d", itemID, recordID)
	}
	if err != nil {
		return fmt.Errorf("bind evidence: %w", err)
	}
	return nil
}

// EvidenceOfRecord returns the item bound to a record, or ENotFound.
func (t *tx) EvidenceOfRecord(ctx context.Context, recordID int64) (*tally.EvidenceItem, error) {
	it, err := scanEvidenceItem(t.queryRow(ctx, evidenceOfRecordQuery, recordID))
	if err != nil {
		return nil, lookupErr(err, "read evidence item", "record %d has no file", recordID)
	}
	return it, nil
}

// scanEvidenceItem reads the columns id, hash, scheme, record_id,
// uploaded_at and uploaded_by.
func scanEvidenceItem(row *sql.Row) (*tally.EvidenceItem, error) {
	var (
		it tally.EvidenceItem
		at int64
	)
	if err := row.Scan(&it.ID, &it.Hash, &it.Scheme, &it.RecordID, &at, &it.UploadedBy); err != nil {
		return nil, err
	}
	it.UploadedAt = fromMicros(at)
	return &it, nil
}
