package postgres

import (
	"context"
	"fmt"

	"github.com/tallycredit/tally"
)

const (
	insertRulebookQuery = `INSERT INTO rulebooks
		(scheme, version, effective, published_at, published_by, digest, source)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (scheme, version) DO NOTHING`
	rulebooksQuery = `SELECT scheme, version, effective, published_at, published_by, digest, source
		FROM rulebooks WHERE scheme = $1 ORDER BY version`
	// COLLATE "C" sorts by bytes, as SQLite and Go do, whatever the
	// database's collation.
	schemesQuery = `SELECT DISTINCT scheme COLLATE "C" FROM rulebooks ORDER BY 1`
)

// InsertRulebook stores a new rulebook version; one that exists is EConflict.
func (t *tx) InsertRulebook(ctx context.Context, v *tally.RulebookVersion) error {
	tag, err := t.exec(ctx, insertRulebookQuery,
		v.Scheme, v.Version, micros(v.Effective), micros(v.PublishedAt), v.PublishedBy, v.Digest, blob(v.Source))
	if err != nil {
		return storeErr(err, fmt.Sprintf("insert rulebook %s v%d", v.Scheme, v.Version))
	}
	if tag.RowsAffected() == 0 { // ON CONFLICT DO NOTHING inserted nothing
		return conflict(nil, "version %d of scheme %q already exists", v.Version, v.Scheme)
	}
	return nil
}

// Rulebooks returns every version of a scheme by version number, oldest
// first; a scheme without one gives an empty slice.
func (t *tx) Rulebooks(ctx context.Context, scheme string) ([]tally.RulebookVersion, error) {
	vs, err := collect(ctx, t, scanRulebook, rulebooksQuery, scheme)
	if err != nil {
		return nil, storeErr(err, "read rulebooks of "+scheme)
	}
	return vs, nil
}

// scanRulebook reads the columns of rulebooksQuery.
func scanRulebook(row scanner) (tally.RulebookVersion, error) {
	var (
		v                    tally.RulebookVersion
		effective, published int64
	)
	if err := row.Scan(&v.Scheme, &v.Version, &effective, &published, &v.PublishedBy, &v.Digest, &v.Source); err != nil {
		return v, err
	}
	v.Effective, v.PublishedAt = fromMicros(effective), fromMicros(published)
	return v, nil
}

// Schemes returns every scheme with a published rulebook, sorted by bytes.
func (t *tx) Schemes(ctx context.Context) ([]string, error) {
	schemes, err := collect(ctx, t, func(row scanner) (string, error) {
		var s string
		err := row.Scan(&s)
		return s, err
	}, schemesQuery)
	if err != nil {
		return nil, storeErr(err, "read schemes")
	}
	return schemes, nil
}
