package sqlstore

import (
	"context"
	"fmt"

	"github.com/tallycredit/tally"
)

var (
	insertRulebookQuery = fixed("InsertRulebook", `INSERT INTO rulebooks
		(scheme, version, effective, published_at, published_by, digest, source)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (scheme, version) DO NOTHING`)
	rulebooksQuery = fixed("Rulebooks", `SELECT scheme, version, effective, published_at, published_by, digest, source
		FROM rulebooks WHERE scheme = ? ORDER BY version`)
	schemesQuery = fixed("Schemes", `SELECT DISTINCT scheme /*bytes*/ FROM rulebooks ORDER BY 1`)
)

// InsertRulebook stores a new rulebook version; one that exists is EConflict.
func (t *Tx) InsertRulebook(ctx context.Context, v *tally.RulebookVersion) error {
	n, err := t.exec(ctx, insertRulebookQuery,
		v.Scheme, v.Version, micros(v.Effective), micros(v.PublishedAt), v.PublishedBy, v.Digest, blob(v.Source))
	if err != nil {
		return t.wrap(err, fmt.Sprintf("insert rulebook %s v%d", v.Scheme, v.Version))
	}
	if n == 0 { // ON CONFLICT DO NOTHING inserted nothing
		return Conflict(nil, "version %d of scheme %q already exists", v.Version, v.Scheme)
	}
	return nil
}

// Rulebooks returns every version of a scheme by version number, oldest
// first; a scheme without one gives an empty slice.
func (t *Tx) Rulebooks(ctx context.Context, scheme string) ([]tally.RulebookVersion, error) {
	vs, err := collect(ctx, t, scanRulebook, rulebooksQuery, scheme)
	return vs, t.wrap(err, "read rulebooks of "+scheme)
}

func scanRulebook(row Row) (tally.RulebookVersion, error) {
	var (
		v                    tally.RulebookVersion
		effective, published int64
	)
	err := row.Scan(&v.Scheme, &v.Version, &effective, &published, &v.PublishedBy, &v.Digest, &v.Source)
	v.Effective, v.PublishedAt = fromMicros(effective), fromMicros(published)
	return v, err
}

// Schemes returns every scheme with a published rulebook, sorted by bytes.
func (t *Tx) Schemes(ctx context.Context) ([]string, error) {
	ss, err := collect(ctx, t, func(row Row) (s string, err error) { return s, row.Scan(&s) }, schemesQuery)
	return ss, t.wrap(err, "read schemes")
}
