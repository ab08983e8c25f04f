package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
)

// accountSelect reads accounts with their latest password and their
// disablement (one probe of its primary key); the caller appends the WHERE
// clause on a. Scalar subqueries rather than joins keep PostgreSQL from
// hashing every password when it lists accounts.
var accountSelect = `SELECT a.id, a.name, a.role, a.schemes, a.rules, a.categories, a.lookup,
	a.created, a.created_by, COALESCE(` + latestPassword("hash") + `, ''), ` + latestPassword("at") + `,
	(SELECT d.at FROM account_disablements d WHERE d.account_id = a.id)
	FROM accounts a `

// latestPassword is a subquery reading column col of account a's latest
// password (by at, then id): one backward seek of account_passwords_account.
func latestPassword(col string) string {
	return `(SELECT p.` + col + ` FROM account_passwords p WHERE p.account_id = a.id
		ORDER BY p.at DESC, p.id DESC LIMIT 1)`
}

// The inserts that refer to an account, a session, a file or a record
// select it, so that an unknown one inserts nothing instead of failing
// (on PostgreSQL, aborting) the transaction with a foreign key violation;
// conflicts do nothing for the same reason. settle then says which.
var (
	insertAccountQuery = fixed("InsertAccount", `INSERT INTO accounts
		(name, role, schemes, rules, categories, lookup, created, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id`)
	insertPasswordQuery = fixed("InsertPassword", `INSERT INTO account_passwords (account_id, hash, at, set_by)
		SELECT id, ?, ?, ? FROM accounts WHERE id = ?`)
	accountByNameQuery  = fixed("AccountByName", accountSelect+`WHERE a.name = ?`)
	accountByIDQuery    = fixed("AccountByID", accountSelect+`WHERE a.id = ?`)
	accountsQuery       = fixed("Accounts", accountSelect+`WHERE a.id > ? ORDER BY a.id LIMIT ?`)
	disableAccountQuery = fixed("DisableAccount", `INSERT INTO account_disablements (account_id, at, disabled_by)
		SELECT id, ?, ? FROM accounts WHERE id = ?
		ON CONFLICT (account_id) DO NOTHING`)

	insertSessionQuery = fixed("InsertSession", `INSERT INTO sessions (hash, account_id, csrf, created, expires)
		SELECT ?, id, ?, ?, ? FROM accounts WHERE id = ?
		ON CONFLICT (hash) DO NOTHING`)
	sessionByHashQuery = fixed("SessionByHash", `SELECT s.hash, s.account_id, s.csrf, s.created, s.expires, e.at
		FROM sessions s LEFT JOIN session_ends e ON e.session_hash = s.hash WHERE s.hash = ?`)
	endSessionQuery = fixed("EndSession", `INSERT INTO session_ends (session_hash, at)
		SELECT hash, ? FROM sessions WHERE hash = ?
		ON CONFLICT (session_hash) DO NOTHING`)

	insertEvidenceQuery = fixed("InsertEvidence", `INSERT INTO evidence (hash, type, data, uploaded_at, uploaded_by)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`)
	evidenceByHashQuery     = fixed("EvidenceByHash", `SELECT hash, type, data, uploaded_at, uploaded_by FROM evidence WHERE hash = ?`)
	insertEvidenceItemQuery = fixed("InsertEvidenceItem", `INSERT INTO evidence_items (hash, scheme, uploaded_at, uploaded_by)
		SELECT hash, ?, ?, ? FROM evidence WHERE hash = ? RETURNING id`)
	uploadedEvidenceQuery = fixed("UploadedEvidence", `SELECT i.id, i.hash, i.scheme, COALESCE(b.record_id, 0), i.uploaded_at, i.uploaded_by
		FROM evidence_items i LEFT JOIN evidence_bindings b ON b.item_id = i.id
		WHERE i.scheme = ? AND i.hash = ? AND i.uploaded_by = ?
		ORDER BY b.record_id IS NOT NULL, i.id LIMIT 1`)
	bindEvidenceQuery = fixed("BindEvidence", `INSERT INTO evidence_bindings (item_id, record_id)
		SELECT i.id, r.id FROM evidence_items i, records r WHERE i.id = ? AND r.id = ?
		ON CONFLICT DO NOTHING`)
	evidenceOfRecordQuery = fixed("EvidenceOfRecord", `SELECT i.id, i.hash, i.scheme, b.record_id, i.uploaded_at, i.uploaded_by
		FROM evidence_bindings b JOIN evidence_items i ON i.id = b.item_id WHERE b.record_id = ?`)
)

// InsertAccount stores a and its first password (a.PasswordHash, set at
// a.PasswordSet by a.CreatedBy) and sets a.ID; a Name already used is
// EConflict. a.Disabled is not stored: DisableAccount records that.
func (t *Tx) InsertAccount(ctx context.Context, a *tally.Account) error {
	var lookup []byte // NULL for none
	if len(a.Lookup) > 0 {
		lookup = a.Lookup
	}
	var id int64
	err := t.queryRow(ctx, insertAccountQuery, a.Name, string(a.Role), jsonList(a.Schemes), jsonList(a.Rules),
		jsonList(a.Categories), lookup, micros(a.Created), a.CreatedBy).Scan(&id)
	if err != nil {
		return t.insertErr(err, "insert account", "an account named %q already exists", "", a.Name)
	}
	if err = t.SetPassword(ctx, id, a.PasswordHash, a.PasswordSet, a.CreatedBy); err == nil {
		a.ID = id
	}
	return err
}

// AccountByName returns the account signing in as name, or ENotFound.
func (t *Tx) AccountByName(ctx context.Context, name string) (*tally.Account, error) {
	return one(t, scanAccount, t.queryRow(ctx, accountByNameQuery, name), "read account", "no account named %q", name)
}

// AccountByID returns the account with the given ID, or ENotFound.
func (t *Tx) AccountByID(ctx context.Context, id int64) (*tally.Account, error) {
	return one(t, scanAccount, t.queryRow(ctx, accountByIDQuery, id), "read account", "no account with id %d", id)
}

// Accounts returns up to limit accounts with IDs greater than after, by ID.
func (t *Tx) Accounts(ctx context.Context, after int64, limit int) ([]tally.Account, error) {
	as, err := collect(ctx, t, scanAccount, accountsQuery, after, max(limit, 0))
	return as, t.wrap(err, "list accounts")
}

// SetPassword appends a password for an account; an unknown ID is
// ENotFound.
func (t *Tx) SetPassword(ctx context.Context, accountID int64, hash string, at time.Time, by string) error {
	err := wrote(t.exec(ctx, insertPasswordQuery, hash, micros(at), by, accountID))
	return t.lookupErr(err, "set password", "no account with id %d", accountID)
}

// DisableAccount records that an account may no longer sign in; a second
// disablement is ignored. An unknown ID is ENotFound.
func (t *Tx) DisableAccount(ctx context.Context, accountID int64, at time.Time, by string) error {
	err := wrote(t.exec(ctx, disableAccountQuery, micros(at), by, accountID))
	return t.settle(ctx, err, "disable account", nil, NotFound(nil, "no account with id %d", accountID),
		"accounts WHERE id = ?", accountID)
}

// scanAccount reads the columns of accountSelect.
func scanAccount(row Row) (tally.Account, error) {
	var (
		a                          tally.Account
		role                       string
		schemes, rules, categories string
		created                    int64
		passwordSet, disabled      *int64
	)
	err := row.Scan(&a.ID, &a.Name, &role, &schemes, &rules, &categories, &a.Lookup,
		&created, &a.CreatedBy, &a.PasswordHash, &passwordSet, &disabled)
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
	a.Created, a.PasswordSet, a.Disabled = fromMicros(created), fromNullTime(passwordSet), fromNullTime(disabled)
	return a, nil
}

// InsertSession stores s; a Hash already stored is EConflict and an
// unknown account ENotFound. s.Ended is not stored: EndSession records it.
func (t *Tx) InsertSession(ctx context.Context, s *tally.Session) error {
	err := wrote(t.exec(ctx, insertSessionQuery, blob(s.Hash), s.CSRF, micros(s.Created), micros(s.Expires), s.AccountID))
	return t.settle(ctx, err, "insert session", Conflict(nil, "a session with this secret already exists"),
		NotFound(nil, "no account with id %d", s.AccountID), "sessions WHERE hash = ?", blob(s.Hash))
}

// SessionByHash returns the session whose secret hashes to hash, ended or
// expired too, or ENotFound.
func (t *Tx) SessionByHash(ctx context.Context, hash []byte) (*tally.Session, error) {
	return one(t, func(row Row) (s tally.Session, err error) {
		var created, expires int64
		var ended *int64
		err = row.Scan(&s.Hash, &s.AccountID, &s.CSRF, &created, &expires, &ended)
		s.Created, s.Expires, s.Ended = fromMicros(created), fromMicros(expires), fromNullTime(ended)
		return s, err
	}, t.queryRow(ctx, sessionByHashQuery, blob(hash)), "read session", "no such session")
}

// EndSession records a sign-out; a second one is ignored. An unknown hash
// is ENotFound.
func (t *Tx) EndSession(ctx context.Context, hash []byte, at time.Time) error {
	err := wrote(t.exec(ctx, endSessionQuery, micros(at), blob(hash)))
	return t.settle(ctx, err, "end session", nil, NotFound(nil, "no such session"), "sessions WHERE hash = ?", blob(hash))
}

// InsertEvidence stores a file; a Hash already stored is EConflict.
func (t *Tx) InsertEvidence(ctx context.Context, e *tally.Evidence) error {
	err := wrote(t.exec(ctx, insertEvidenceQuery, e.Hash, e.Type, blob(e.Data), micros(e.UploadedAt), e.UploadedBy))
	return t.insertErr(err, "insert evidence", "evidence sha256:%s is already stored", "", e.Hash)
}

// EvidenceByHash returns the file with the given hex SHA-256, or ENotFound.
func (t *Tx) EvidenceByHash(ctx context.Context, hash string) (*tally.Evidence, error) {
	return one(t, func(row Row) (e tally.Evidence, err error) {
		var at int64
		err = row.Scan(&e.Hash, &e.Type, &e.Data, &at, &e.UploadedBy)
		e.UploadedAt = fromMicros(at)
		return e, err
	}, t.queryRow(ctx, evidenceByHashQuery, hash), "read evidence", "no evidence sha256:%s", hash)
}

// InsertEvidenceItem stores an unbound item and sets its ID; a Hash not
// stored in evidence is ENotFound.
func (t *Tx) InsertEvidenceItem(ctx context.Context, it *tally.EvidenceItem) error {
	err := t.queryRow(ctx, insertEvidenceItemQuery, it.Scheme, micros(it.UploadedAt), it.UploadedBy, it.Hash).Scan(&it.ID)
	return t.lookupErr(err, "insert evidence item", "no evidence sha256:%s", it.Hash)
}

// UploadedEvidence returns the oldest unbound item of a file uploaded by
// by for scheme; if every one is bound, one of those; or ENotFound.
func (t *Tx) UploadedEvidence(ctx context.Context, scheme, hash, by string) (*tally.EvidenceItem, error) {
	return one(t, scanEvidenceItem, t.queryRow(ctx, uploadedEvidenceQuery, scheme, hash, by),
		"read evidence item", "no file sha256:%s uploaded by %s for scheme %s", hash, by, scheme)
}

// BindEvidence binds an item to a record once; an item or a record
// already bound is EConflict, an unknown one ENotFound.
func (t *Tx) BindEvidence(ctx context.Context, itemID, recordID int64) error {
	err := wrote(t.exec(ctx, bindEvidenceQuery, itemID, recordID))
	return t.settle(ctx, err, "bind evidence", Conflict(nil, "evidence item %d or record %d is already bound", itemID, recordID),
		NotFound(nil, "no evidence item %d or record %d", itemID, recordID), "evidence_items i, records r WHERE i.id = ? AND r.id = ?", itemID, recordID)
}

// EvidenceOfRecord returns the item bound to a record, or ENotFound.
func (t *Tx) EvidenceOfRecord(ctx context.Context, recordID int64) (*tally.EvidenceItem, error) {
	return one(t, scanEvidenceItem, t.queryRow(ctx, evidenceOfRecordQuery, recordID),
		"read evidence item", "record %d has no file", recordID)
}

// scanEvidenceItem reads the columns id, hash, scheme, record_id,
// uploaded_at and uploaded_by.
func scanEvidenceItem(row Row) (it tally.EvidenceItem, err error) {
	var at int64
	err = row.Scan(&it.ID, &it.Hash, &it.Scheme, &it.RecordID, &at, &it.UploadedBy)
	it.UploadedAt = fromMicros(at)
	return it, err
}
