package sqlite

import (
	"context"
	"fmt"

	"github.com/tallycredit/tally"
)

const (
	insertRulebookQuery = `INSERT INTO rulebooks
		(scheme, version, effective, published_at, published_by, digest, source)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	rulebooksQuery = `SELECT scheme, version, effective, published_at, published_by, digest, source
		FROM rulebooks WHERE scheme = ? ORDER BY version`
	schemesQuery = `SELECT DISTINCT scheme FROM rulebooks ORDER BY scheme`
)

// InsertRulebook stores a new rulebook version; one that exists is EConflict.
func (t *tx) InsertRulebook(ctx context.Context, v *tally.RulebookVersion) error {
	_, err := t.exec(ctx, insertRulebookQuery,
		v.Scheme, v.Version, micros(v.Effective), micros(v.PublishedAt), v.PublishedBy, v.Digest, blob(v.Source))
	if isUnique(err) {
		return conflict(err, "version %d of scheme %q already exists", v.Version, v.Scheme)
	}
	if err != nil {
		return fmt.Errorf("insert rulebook %s v%d: %w", v.Scheme, v.Version, err)
	}
	return nil
}

// Rulebooks returns every version of a scheme by version number, oldest
// first; a scheme without one gives an empty slice.
func (t *tx) Rulebooks(ctx context.Context, scheme string) ([]tally.RulebookVersion, error) {
	rows, err := t.query(ctx, rulebooksQuery, scheme)
	if err != nil {
		return nil, fmt.Errorf("read rulebooks of %s: %w", scheme, err)
	}
	defer rows.Close()
	vs := []tally.RulebookVersion{}
	for rows.Next() {
		var (
			v                    tally.RulebookVersion
			effective, published int64
		)
		if err := rows.Scan(&v.Scheme, &v.Version, &effective, &published, &v.PublishedBy, &v.Digest, &v.Source); err != nil {
			return nil, fmt.Errorf("read rulebooks of %s: %w", scheme, err)
		}
		v.Effective, v.PublishedAt = fromMicros(effective), fromMicros(published)
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read rulebooks of %s: %w", scheme, err)
	}
	return vs, nil
}

// Schemes returns every scheme with a published rulebook, sorted.
func (t *tx) Schemes(ctx context.Context) ([]string, error) {
	rows, err := t.query(ctx, schemesQuery)
	if err != nil {
		return nil, fmt.Errorf("read schemes: %w", err)
	}
	defer rows.Close()
	schemes := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("read schemes: %w", err)
		}
		schemes = append(schemes, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schemes: %w", err)
	}
	return schemes, nil
}
