package sqlstore

import "context"

var (
	metaQuery    = fixed("Meta", `SELECT value FROM meta WHERE name = ?`)
	setMetaQuery = fixed("SetMeta", `INSERT INTO meta (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`)
)

// Meta returns the setting name, or ENotFound.
func (t *Tx) Meta(ctx context.Context, name string) (string, error) {
	var value string
	if err := t.queryRow(ctx, metaQuery, name).Scan(&value); err != nil {
		return "", t.lookupErr(err, "read meta", "no setting %q", name)
	}
	return value, nil
}

// SetMeta stores the setting name, replacing any earlier value.
func (t *Tx) SetMeta(ctx context.Context, name, value string) error {
	_, err := t.exec(ctx, setMetaQuery, name, value)
	return t.wrap(err, "set meta "+name)
}
