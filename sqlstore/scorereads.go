package sqlstore

import "context"

var rulebookDigestsQuery = fixed("RulebookDigests", `SELECT digest FROM rulebooks WHERE scheme = ? ORDER BY version`)

// RulebookDigests returns the digest of every version of a scheme, oldest
// first, reading no source: every score asks whether its scheme has a new
// version, and a rulebook's source is kilobytes.
func (t *Tx) RulebookDigests(ctx context.Context, scheme string) ([]string, error) {
	ds, err := collect(ctx, t, func(row Row) (d string, err error) { return d, row.Scan(&d) }, rulebookDigestsQuery, scheme)
	return ds, t.wrap(err, "read rulebook digests of "+scheme)
}
