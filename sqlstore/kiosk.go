package sqlstore

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

var (
	insertKioskCodeQuery = fixed("InsertKioskCode", `INSERT INTO kiosk_codes (subject_id, hash, issued_at, issued_by, expires)
		SELECT id, ?, ?, ?, ? FROM subjects WHERE id = ? ON CONFLICT (hash) DO NOTHING RETURNING id`)
	kioskCodeQuery = fixed("KioskCodeByHash", `SELECT k.id, k.subject_id, k.hash, k.issued_at, k.issued_by, k.expires, u.used_at
		FROM kiosk_codes k LEFT JOIN kiosk_code_uses u ON u.code_id = k.id WHERE k.hash = ?`)
	useKioskCodeQuery = fixed("UseKioskCode", `INSERT INTO kiosk_code_uses (code_id, used_at)
		SELECT id, ? FROM kiosk_codes WHERE id = ? ON CONFLICT (code_id) DO NOTHING`)
)

// InsertKioskCode stores a one-time code and sets its ID; a hash used
// before is EConflict, an unknown subject ENotFound.
func (t *Tx) InsertKioskCode(ctx context.Context, c *tally.KioskCode) error {
	hash := blob(c.Hash)
	err := t.queryRow(ctx, insertKioskCodeQuery, hash, micros(c.IssuedAt), c.IssuedBy, micros(c.Expires), c.SubjectID).Scan(&c.ID)
	return t.settle(ctx, err, "insert kiosk code", Conflict(nil, "this kiosk code exists"),
		NotFound(nil, "no subject with id %d", c.SubjectID), "kiosk_codes WHERE hash = ?", hash)
}

// KioskCodeByHash returns a code with its use, or ENotFound.
func (t *Tx) KioskCodeByHash(ctx context.Context, hash []byte) (*tally.KioskCode, error) {
	var (
		c               tally.KioskCode
		issued, expires int64
		used            *int64
	)
	err := t.queryRow(ctx, kioskCodeQuery, hash).Scan(&c.ID, &c.SubjectID, &c.Hash, &issued, &c.IssuedBy, &expires, &used)
	if err != nil {
		return nil, t.lookupErr(err, "read kiosk code", "no such kiosk code")
	}
	c.IssuedAt, c.Expires, c.UsedAt = fromMicros(issued), fromMicros(expires), fromNullTime(used)
	return &c, nil
}

// UseKioskCode records a code's use; a second use is EConflict, an unknown
// code ENotFound.
func (t *Tx) UseKioskCode(ctx context.Context, id int64, at time.Time) error {
	return t.settle(ctx, wrote(t.exec(ctx, useKioskCodeQuery, micros(at), id)), "use kiosk code",
		Conflict(nil, "kiosk code %d is already used", id), NotFound(nil, "no kiosk code %d", id), "kiosk_codes WHERE id = ?", id)
}
