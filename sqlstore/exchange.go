package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
)

// The queries of the exchange, written with ? placeholders.
const (
	insertAgreementQuery = `INSERT INTO agreements (id, version, issuer, receiver, lists, rules, purpose_zh, purpose_en,
		basis_zh, basis_en, digest, source, published_at, published_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id, version) DO NOTHING`
	agreementsQuery = `SELECT id, version, issuer, receiver, lists, rules, purpose_zh, purpose_en, basis_zh, basis_en,
		digest, source, published_at, published_by FROM agreements ORDER BY id /*bytes*/, version`
	nextShareSeqQuery = `SELECT COALESCE(MAX(seq), 0) + 1 FROM shares WHERE receiver = ?`
	insertShareQuery  = `INSERT INTO shares (receiver, seq, subject_id, change, created_at, published_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`
	shareCols           = `SELECT id, receiver, seq, subject_id, change, created_at, published_at FROM shares `
	pendingSharesQuery  = shareCols + `WHERE published_at IS NULL ORDER BY id LIMIT ?`
	sharesOfQuery       = shareCols + `WHERE subject_id = ? ORDER BY id`
	markPublishedQuery  = `UPDATE shares SET published_at = ? WHERE published_at IS NULL AND id `
	receivedSeqQuery    = `SELECT seq FROM received_shares WHERE issuer = ?`
	setReceivedSeqQuery = `INSERT INTO received_shares (issuer, seq) VALUES (?, ?)
		ON CONFLICT (issuer) DO UPDATE SET seq = excluded.seq`
	insertRejectionQuery = `INSERT INTO rejected_shares (at, issuer, seq, reason, message) VALUES (?, ?, ?, ?, ?) RETURNING id`
	rejectionsQuery      = `SELECT id, at, issuer, seq, reason, message FROM rejected_shares ORDER BY id DESC LIMIT ?`
)

// InsertAgreement stores an agreement version; one that exists is
// EConflict.
func (t *Tx) InsertAgreement(ctx context.Context, a *tally.Agreement) error {
	lists, err := json.Marshal(ids(a.Lists))
	if err != nil {
		return fmt.Errorf("insert agreement %s v%d: %w", a.ID, a.Version, err)
	}
	rules, err := json.Marshal(ids(a.Rules))
	if err != nil {
		return fmt.Errorf("insert agreement %s v%d: %w", a.ID, a.Version, err)
	}
	n, err := t.exec(ctx, insertAgreementQuery, a.ID, a.Version, a.Issuer, a.Receiver, string(lists), string(rules),
		a.Purpose.Zh, a.Purpose.En, a.Basis.Zh, a.Basis.En, a.Digest, blob(a.Source), micros(a.PublishedAt), a.PublishedBy)
	if err != nil {
		return t.wrap(err, fmt.Sprintf("insert agreement %s v%d", a.ID, a.Version))
	}
	if n == 0 { // ON CONFLICT DO NOTHING inserted nothing
		return Conflict(nil, "version %d of agreement %q already exists", a.Version, a.ID)
	}
	return nil
}

// AgreementVersions returns every version of every agreement, by ID (in
// byte order) then version.
func (t *Tx) AgreementVersions(ctx context.Context) ([]tally.Agreement, error) {
	as, err := collect(ctx, t, scanAgreement, agreementsQuery)
	return as, t.wrap(err, "read agreements")
}

func scanAgreement(row Row) (tally.Agreement, error) {
	var (
		a            tally.Agreement
		lists, rules string
		published    int64
	)
	err := row.Scan(&a.ID, &a.Version, &a.Issuer, &a.Receiver, &lists, &rules, &a.Purpose.Zh, &a.Purpose.En,
		&a.Basis.Zh, &a.Basis.En, &a.Digest, &a.Source, &published, &a.PublishedBy)
	if err != nil {
		return a, err
	}
	a.PublishedAt = fromMicros(published)
	if err := json.Unmarshal([]byte(lists), &a.Lists); err != nil {
		return a, fmt.Errorf("agreement %s v%d: lists: %w", a.ID, a.Version, err)
	}
	if err := json.Unmarshal([]byte(rules), &a.Rules); err != nil {
		return a, fmt.Errorf("agreement %s v%d: rules: %w", a.ID, a.Version, err)
	}
	return a, nil
}

// ids returns vs, or an empty slice for nil, so that none is stored as []
// and reads back as an empty slice.
func ids(vs []string) []string {
	if vs == nil {
		return []string{}
	}
	return vs
}

// InsertShare appends a change to the outbox, numbering it one past the
// last share for its receiver, and sets its ID, Seq and Change.Seq. Writers
// of shares take turns (the ledger serialises them); should two race, the
// second is EConflict.
func (t *Tx) InsertShare(ctx context.Context, sh *tally.Share) error {
	var seq int64
	if err := t.queryRow(ctx, nextShareSeqQuery, sh.Receiver).Scan(&seq); err != nil {
		return t.wrap(err, "number share")
	}
	c := sh.Change
	c.Seq = seq
	change, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("insert share: %w", err)
	}
	var id int64
	err = t.queryRow(ctx, insertShareQuery, sh.Receiver, seq, sh.SubjectID, string(change), micros(sh.CreatedAt),
		nullTime(sh.PublishedAt)).Scan(&id)
	switch {
	case err != nil && t.d.IsUnique(err):
		return Conflict(err, "share %d for %s was numbered by another writer", seq, sh.Receiver)
	case err != nil && t.d.IsForeignKey(err):
		return NotFound(err, "no subject with id %d", sh.SubjectID)
	case err != nil:
		return t.wrap(err, "insert share")
	}
	sh.ID, sh.Seq, sh.Change.Seq = id, seq, seq
	return nil
}

// PendingShares returns up to limit shares not yet published, by ID.
func (t *Tx) PendingShares(ctx context.Context, limit int) ([]tally.Share, error) {
	ss, err := collect(ctx, t, scanShare, pendingSharesQuery, limit)
	return ss, t.wrap(err, "read pending shares")
}

// MarkPublished records that the shares ids were published at at; those
// published already keep their first time, and unknown IDs are ignored.
func (t *Tx) MarkPublished(ctx context.Context, ids []int64, at time.Time) error {
	err := inChunks(t, ids, func(in string, args []any) error {
		_, err := t.exec(ctx, markPublishedQuery+in, append([]any{micros(at)}, args...)...)
		return err
	})
	return t.wrap(err, "mark shares published")
}

// SharesOf returns the shares about a subject, by ID.
func (t *Tx) SharesOf(ctx context.Context, subjectID int64) ([]tally.Share, error) {
	ss, err := collect(ctx, t, scanShare, sharesOfQuery, subjectID)
	return ss, t.wrap(err, "read shares of a subject")
}

func scanShare(row Row) (tally.Share, error) {
	var (
		sh        tally.Share
		change    string
		created   int64
		published *int64
	)
	if err := row.Scan(&sh.ID, &sh.Receiver, &sh.Seq, &sh.SubjectID, &change, &created, &published); err != nil {
		return sh, err
	}
	sh.CreatedAt, sh.PublishedAt = fromMicros(created), fromNullTime(published)
	if err := json.Unmarshal([]byte(change), &sh.Change); err != nil {
		return sh, fmt.Errorf("share %d: change: %w", sh.ID, err)
	}
	return sh, nil
}

// ReceivedSeq returns the Seq of the last change applied from issuer, or
// 0 if none was.
func (t *Tx) ReceivedSeq(ctx context.Context, issuer string) (int64, error) {
	var seq int64
	err := t.queryRow(ctx, receivedSeqQuery, issuer).Scan(&seq)
	if errors.Is(err, ErrNoRows) {
		return 0, nil
	}
	return seq, t.wrap(err, "read received seq of "+issuer)
}

// SetReceivedSeq records that the changes from issuer up to seq are
// applied.
func (t *Tx) SetReceivedSeq(ctx context.Context, issuer string, seq int64) error {
	_, err := t.exec(ctx, setReceivedSeqQuery, issuer, seq)
	return t.wrap(err, "set received seq of "+issuer)
}

// InsertRejection appends a refused message and sets its ID.
func (t *Tx) InsertRejection(ctx context.Context, r *tally.Rejection) error {
	err := t.queryRow(ctx, insertRejectionQuery, micros(r.At), r.Issuer, r.Seq, r.Reason, blob(r.Message)).Scan(&r.ID)
	return t.wrap(err, "insert rejection")
}

// Rejections returns the refused messages, newest first, up to limit.
func (t *Tx) Rejections(ctx context.Context, limit int) ([]tally.Rejection, error) {
	rs, err := collect(ctx, t, scanRejection, rejectionsQuery, limit)
	return rs, t.wrap(err, "read rejections")
}

func scanRejection(row Row) (tally.Rejection, error) {
	var (
		r  tally.Rejection
		at int64
	)
	err := row.Scan(&r.ID, &at, &r.Issuer, &r.Seq, &r.Reason, &r.Message)
	r.At = fromMicros(at)
	return r, err
}
