package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
)

// accountSelect reads accounts with their latest password (by at, then
// id: one backward seek of account_passwords_account) and their
// disablement (one probe of its primary key, not a merge join through
// all of them); the caller appends the WHERE clause on a.
const accountSelect = `SELECT a.id, a.name, a.role, a.schemes, a.rules, a.categories, a.lookup,
	a.created, a.created_by, p.hash, p.at,
	(SELECT d.at FROM account_disablements d WHERE d.account_id = a.id)
	FROM accounts a
	LEFT JOIN LATERAL (
		SELECT p2.hash, p2.at FROM account_passwords p2 WHERE p2.account_id = a.id
		ORDER BY p2.at DESC, p2.id DESC
		LIMIT 1) p ON true
	`

// The inserts that refer to an account or a session select it, so that an
// unknown one inserts nothing instead of failing the transaction with a
// foreign key violation; conflicts do nothing for the same reason.
const (
	// insertAccountQuery stores an account and its first password in one
	// round trip; a used name inserts neither and returns no row.
	insertAccountQuery = `WITH a AS (
		INSERT INTO accounts (name, role, schemes, rules, categories, lookup, created, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (name) DO NOTHING RETURNING id)
		INSERT INTO account_passwords (account_id, hash, at, set_by)
		SELECT id, $9, $10, $8 FROM a RETURNING account_id`
	insertPasswordQuery = `INSERT INTO account_passwords (account_id, hash, at, set_by)
		SELECT id, $2, $3, $4 FROM accounts WHERE id = $1`
	accountByNameQuery  = accountSelect + `WHERE a.name = $1`
	accountByIDQuery    = accountSelect + `WHERE a.id = $1`
	accountsQuery       = accountSelect + `WHERE a.id > $1 ORDER BY a.id LIMIT $2`
	disableAccountQuery = `INSERT INTO account_disablements (account_id, at, disabled_by)
		SELECT id, $2, $3 FROM accounts WHERE id = $1
		ON CONFLICT (account_id) DO NOTHING`
	accountExistsQuery = `SELECT EXISTS (SELECT 1 FROM accounts WHERE id = $1)`

	insertSessionQuery = `INSERT INTO sessions (hash, account_id, csrf, created, expires)
		SELECT $1, id, $3, $4, $5 FROM accounts WHERE id = $2
		ON CONFLICT (hash) DO NOTHING`
	sessionByHashQuery = `SELECT s.hash, s.account_id, s.csrf, s.created, s.expires, e.at
		FROM sessions s LEFT JOIN session_ends e ON e.session_hash = s.hash WHERE s.hash = $1`
	endSessionQuery = `INSERT INTO session_ends (session_hash, at)
		SELECT hash, $2 FROM sessions WHERE hash = $1
		ON CONFLICT (session_hash) DO NOTHING`
	sessionExistsQuery = `SELECT EXISTS (SELECT 1 FROM sessions WHERE hash = $1)`

	insertEvidenceQuery = `INSERT INTO evidence (hash, type, data, uploaded_at, uploaded_by)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING`
	evidenceByHashQuery = `SELECT hash, type, data, uploaded_at, uploaded_by FROM evidence WHERE hash = $1`

	insertEvidenceItemQuery = `INSERT INTO evidence_items (hash, scheme, uploaded_at, uploaded_by)
		SELECT hash, $2, $3, $4 FROM evidence WHERE hash = $1 RETURNING id`
	uploadedEvidenceQuery = `SELECT i.id, i.hash, i.scheme, COALESCE(b.record_id, 0), i.uploaded_at, i.uploaded_by
		FROM evidence_items i LEFT JOIN evidence_bindings b ON b.item_id = i.id
		WHERE i.scheme = $1 AND i.hash = $2 AND i.uploaded_by = $3
		ORDER BY b.record_id IS NOT NULL, i.id LIMIT 1`
	bindEvidenceQuery = `INSERT INTO evidence_bindings (item_id, record_id)
		SELECT i.id, r.id FROM evidence_items i, records r WHERE i.id = $1 AND r.id = $2
		ON CONFLICT DO NOTHING`
	bindableQuery = `SELECT EXISTS (SELECT 1 FROM evidence_items WHERE id = $1)
		AND EXISTS (SELECT 1 FROM records WHERE id = $2)`
	evidenceOfRecordQuery = `SELECT i.id, i.hash, i.scheme, b.record_id, i.uploaded_at, i.uploaded_by
		FROM evidence_bindings b JOIN evidence_items i ON i.id = b.item_id WHERE b.record_id = $1`
)

// InsertAccount stores a and its first password (a.PasswordHash, set at
// a.PasswordSet by a.CreatedBy) and sets a.ID; a Name already used is
// EConflict. a.Disabled is not stored: DisableAccount records that.
func (t *tx) InsertAccount(ctx context.Context, a *tally.Account) error {
	var lookup []byte
	if len(a.Lookup) > 0 {
		lookup = a.Lookup
	}
	var id int64
	err := t.queryRow(ctx, insertAccountQuery, a.Name, string(a.Role), jsonList(a.Schemes), jsonList(a.Rules),
		jsonList(a.Categories), lookup, micros(a.Created), a.CreatedBy, a.PasswordHash, micros(a.PasswordSet),
	).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return conflict(nil, "an account named %q already exists", a.Name)
	}
	if err != nil {
		return storeErr(err, "insert account")
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
	if limit <= 0 {
		return []tally.Account{}, nil
	}
	out, err := collect(ctx, t, scanAccount, accountsQuery, after, limit)
	if err != nil {
		return nil, storeErr(err, "list accounts")
	}
	return out, nil
}

// SetPassword appends a password for an account; an unknown ID is
// ENotFound, after which the transaction stays usable.
func (t *tx) SetPassword(ctx context.Context, accountID int64, hash string, at time.Time, by string) error {
	tag, err := t.exec(ctx, insertPasswordQuery, accountID, hash, micros(at), by)
	if err != nil {
		return storeErr(err, "set password")
	}
	if tag.RowsAffected() == 0 {
		return notFound(nil, "no account with id %d", accountID)
	}
	return nil
}

// DisableAccount records that an account may no longer sign in; a second
// disablement is ignored. An unknown ID is ENotFound.
func (t *tx) DisableAccount(ctx context.Context, accountID int64, at time.Time, by string) error {
	tag, err := t.exec(ctx, disableAccountQuery, accountID, micros(at), by)
	if err != nil {
		return storeErr(err, "disable account")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var ok bool
	if err := t.queryRow(ctx, accountExistsQuery, accountID).Scan(&ok); err != nil {
		return storeErr(err, "disable account")
	}
	if !ok {
		return notFound(nil, "no account with id %d", accountID)
	}
	return nil // disabled before
}

// scanAccount reads the columns of accountSelect.
func scanAccount(row scanner) (tally.Account, error) {
	var (
		a                          tally.Account
		role                       string
		schemes, rules, categories string
		created                    int64
		hash                       *string
		passwordSet, disabled      *int64
	)
	err := row.Scan(&a.ID, &a.Name, &role, &schemes, &rules, &categories, &a.Lookup,
		&created, &a.CreatedBy, &hash, &passwordSet, &disabled)
	if err != nil {
		return a, err
	}
	a.Role = tally.Role(role)
	if err := parseScopes(schemes, rules, categories, &a.Schemes, &a.Rules, &a.Categories); err != nil {
		return a, fmt.Errorf("account %d scope: %w", a.ID, err)
	}
	if len(a.Lookup) == 0 {
		a.Lookup = nil
	}
	if hash != nil {
		a.PasswordHash = *hash
	}
	a.Created, a.PasswordSet, a.Disabled = fromMicros(created), fromNullMicros(passwordSet), fromNullMicros(disabled)
	return a, nil
}

// InsertSession stores s; a Hash already stored is EConflict and an
// unknown account ENotFound. s.Ended is not stored: EndSession records it.
func (t *tx) InsertSession(ctx context.Context, s *tally.Session) error {
	tag, err := t.exec(ctx, insertSessionQuery, blob(s.Hash), s.AccountID, s.CSRF, micros(s.Created), micros(s.Expires))
	if err != nil {
		return storeErr(err, "insert session")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var stored bool
	if err := t.queryRow(ctx, sessionExistsQuery, blob(s.Hash)).Scan(&stored); err != nil {
		return storeErr(err, "insert session")
	}
	if stored {
		return conflict(nil, "a session with this secret already exists")
	}
	return notFound(nil, "no account with id %d", s.AccountID)
}

// SessionByHash returns the session whose secret hashes to hash, ended or
// expired too, or ENotFound.
func (t *tx) SessionByHash(ctx context.Context, hash []byte) (*tally.Session, error) {
	var (
		s                tally.Session
		created, expires int64
		ended            *int64
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
	tag, err := t.exec(ctx, endSessionQuery, blob(hash), micros(at))
	if err != nil {
		return storeErr(err, "end session")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var stored bool
	if err := t.queryRow(ctx, sessionExistsQuery, blob(hash)).Scan(&stored); err != nil {
		return storeErr(err, "end session")
	}
	if !stored {
		return notFound(nil, "no such session")
	}
	return nil // ended before
}

// InsertEvidence stores a file; a Hash already stored is EConflict.
func (t *tx) InsertEvidence(ctx context.Context, e *tally.Evidence) error {
	tag, err := t.exec(ctx, insertEvidenceQuery, e.Hash, e.Type, blob(e.Data), micros(e.UploadedAt), e.UploadedBy)
	if err != nil {
		return storeErr(err, "insert evidence")
	}
	if tag.RowsAffected() == 0 {
		return conflict(nil, "evidence sha256:%s is already stored", e.Hash)
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
	if err != nil {
		return lookupErr(err, "insert evidence item", "no evidence sha256:%s", it.Hash)
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
	tag, err := t.exec(ctx, bindEvidenceQuery, itemID, recordID)
	if err != nil {
		return storeErr(err, "bind evidence")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var both bool
	if err := t.queryRow(ctx, bindableQuery, itemID, recordID).Scan(&both); err != nil {
		return storeErr(err, "bind evidence")
	}
	if !both {
		return notFound(nil, "no evidence item %d or record %d", itemID, recordID)
	}
	return conflict(nil, "evidence item %d or record %d is already bound", itemID, recordID)
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
func scanEvidenceItem(row scanner) (*tally.EvidenceItem, error) {
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
