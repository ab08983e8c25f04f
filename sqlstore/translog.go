package sqlstore

import (
	"context"
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// The transparency log's tables (migrations 0017 and 0018): leaves by
// position, each with the hashes its append completed (tree), and
// checkpoints by tree size. log_hashes holds the hashes of the leaves
// appended before 0018, which have no tree; it is no longer written.
const leafCols = `idx, kind, ref, data, salt, at`

var (
	// Leaves are written from position 0 on and never removed, so the
	// size is the last position plus one: read from the primary key, not
	// counted.
	treeSizeQuery       = fixed("LogTreeSize", `SELECT COALESCE(MAX(idx) + 1, 0) FROM log_leaves`)
	readLeafDataQuery   = fixed("LogReadLeaves", `SELECT data FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx`)
	logLeavesQuery      = fixed("LogLeaves", `SELECT `+leafCols+` FROM log_leaves WHERE idx >= ? AND idx < ? ORDER BY idx`)
	leafOfQuery         = fixed("LogLeafOf", `SELECT `+leafCols+` FROM log_leaves WHERE kind = ? AND ref = ?`)
	insertCheckpointQ   = fixed("LogInsertCheckpoint", `INSERT INTO log_checkpoints (size, root, at, note) VALUES (?, ?, ?, ?) ON CONFLICT (size) DO NOTHING`)
	latestCheckpointQ   = fixed("LogLatestCheckpoint", `SELECT size, root, at, note FROM log_checkpoints ORDER BY size DESC LIMIT 1`)
	checkpointAtQuery   = fixed("LogCheckpointAt", `SELECT size, root, at, note FROM log_checkpoints WHERE size = ?`)
	listEntryByIDQuery  = fixed("ListEntryByID", entrySelect+`WHERE e.id = ?`)
	removalByIDQuery    = fixed("RemovalByID", `SELECT `+removalCols+` FROM list_removals r WHERE r.id = ?`)
	catalogueByVersionQ = fixed("CatalogueByVersion", `SELECT version, published_at, published_by, digest, source FROM catalogues WHERE version = ?`)

	// An append and a proof read a few dozen leaves by position (and old
	// leaves' hashes by index): on SQLite in lists of one length, padded,
	// so that the statement is prepared once per connection; on
	// PostgreSQL as one array.
	readNodesQuery  = fixed("LogReadNodes", `SELECT idx, data, tree FROM log_leaves WHERE idx IN (?`+strings.Repeat(", ?", keysAtOnce-1)+`)`)
	readNodesArray  = `SELECT idx, data, tree FROM log_leaves WHERE idx = ANY(?)`
	readHashesQuery = fixed("LogReadHashes", `SELECT id, hash FROM log_hashes WHERE id IN (?`+strings.Repeat(", ?", keysAtOnce-1)+`)`)
	readHashesArray = `SELECT id, hash FROM log_hashes WHERE id = ANY(?)`

	// An append writes its leaves in statements of fixed shapes: prepared
	// once per connection on SQLite; on PostgreSQL one statement with the
	// columns as arrays, whatever the number of rows (COPY would take two
	// round trips for a few rows).
	leafColList  = []string{"idx", "kind", "ref", "data", "salt", "at", "tree"}
	insertLeaves = newFixedInserts("LogInsertLeaves", "log_leaves", leafColList)
	unnestLeaves = `INSERT INTO log_leaves (` + leafCols + `, tree) SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bytea[], ?::bytea[], ?::bigint[], ?::bytea[])`
)

// keysAtOnce is the length of SQLite's lists of positions and hash
// indexes: a tree of 2^32 leaves has at most 32 hashes on its border and
// on an inclusion proof's path, and about twice as many on a consistency
// proof's.
const keysAtOnce = 64

// loggedKeys says, for each kind of logged entry, its table, the SQL of
// its key as the log's ref column holds it, and the columns that order
// the keys (numbers as numbers, so that entry 9 comes before entry 10).
// A kind whose key is one integer column names it as its cursor, which
// Unlogged reads on from; the others (rulebook and agreement versions,
// which are few) are read from the first each time.
var loggedKeys = map[ledger.LogKind]struct{ table, ref, order, cursor string }{
	ledger.LogRecord:            {"records", `CAST(e.id AS TEXT)`, `e.id`, `e.id`},
	ledger.LogListEntry:         {"list_entries", `CAST(e.id AS TEXT)`, `e.id`, `e.id`},
	ledger.LogRemoval:           {"list_removals", `CAST(e.id AS TEXT)`, `e.id`, `e.id`},
	ledger.LogObjectionDecision: {"objection_decisions", `CAST(e.objection_id AS TEXT)`, `e.objection_id`, `e.objection_id`},
	ledger.LogRepairDecision:    {"repair_decisions", `CAST(e.repair_id AS TEXT)`, `e.repair_id`, `e.repair_id`},
	ledger.LogRulebook:          {"rulebooks", `e.scheme || '/' || CAST(e.version AS TEXT)`, `e.scheme, e.version`, ``},
	ledger.LogCatalogue:         {"catalogues", `CAST(e.version AS TEXT)`, `e.version`, `e.version`},
	ledger.LogAgreement:         {"agreements", `e.id || '/' || CAST(e.version AS TEXT)`, `e.id, e.version`, ``},
	ledger.LogSubject:           {"subjects", `CAST(e.id AS TEXT)`, `e.id`, `e.id`},
}

// TreeSize returns the number of leaves in the log.
func (t *Tx) TreeSize(ctx context.Context) (int64, error) {
	var n int64
	return n, t.wrap(t.queryRow(ctx, treeSizeQuery).Scan(&n), "read log size")
}

// ReadNodes returns the leaves at positions with the hashes each
// completed; one missing is an error.
func (t *Tx) ReadNodes(ctx context.Context, positions []int64) ([]translog.Node, error) {
	got := make(map[int64]translog.Node, len(positions))
	var old []int64 // leaves appended before migration 0018
	scan := func(row Row) error {
		var (
			idx        int64
			data, tree []byte
		)
		if err := row.Scan(&idx, &data, &tree); err != nil {
			return err
		}
		n := translog.Node{Data: data}
		switch levels := bits.TrailingZeros64(^uint64(idx)); {
		case tree == nil && levels > 0:
			old = append(old, idx)
		case len(tree) != levels*translog.HashSize:
			return fmt.Errorf("log leaf %d keeps %d bytes of hashes, not %d levels", idx, len(tree), levels)
		default:
			for ; len(tree) > 0; tree = tree[translog.HashSize:] {
				n.Completes = append(n.Completes, translog.Hash(tree))
			}
		}
		got[idx] = n
		return nil
	}
	if err := t.eachKey(ctx, "read log leaves", scan, readNodesQuery, readNodesArray, positions); err != nil {
		return nil, err
	}
	if err := t.completeOld(ctx, got, old); err != nil {
		return nil, err
	}
	out := make([]translog.Node, len(positions))
	for i, p := range positions {
		n, ok := got[p]
		if !ok {
			return nil, fmt.Errorf("read log leaves: no leaf at position %d", p)
		}
		out[i] = n
	}
	return out, nil
}

// completeOld reads from log_hashes the hashes that the leaves at
// positions, appended before migration 0018, completed.
func (t *Tx) completeOld(ctx context.Context, nodes map[int64]translog.Node, positions []int64) error {
	if len(positions) == 0 {
		return nil
	}
	// completed[i] are the stored-hash indexes of the subtrees the leaf
	// at positions[i] completed, by level from 1.
	completed := make([][]int64, len(positions))
	var indexes []int64
	for i, p := range positions {
		for level := 1; level <= bits.TrailingZeros64(^uint64(p)); level++ {
			completed[i] = append(completed[i], tlog.StoredHashIndex(level, (p+1)>>level-1))
		}
		indexes = append(indexes, completed[i]...)
	}
	hashes := make(map[int64]translog.Hash, len(indexes))
	scan := func(row Row) error {
		var (
			id int64
			h  []byte
		)
		if err := row.Scan(&id, &h); err != nil {
			return err
		}
		if len(h) != translog.HashSize {
			return fmt.Errorf("log hash %d has %d bytes", id, len(h))
		}
		hashes[id] = translog.Hash(h)
		return nil
	}
	if err := t.eachKey(ctx, "read log hashes", scan, readHashesQuery, readHashesArray, indexes); err != nil {
		return err
	}
	for i, p := range positions {
		n := nodes[p]
		for j, x := range completed[i] {
			h, ok := hashes[x]
			if !ok {
				return fmt.Errorf("read log hashes: no hash of level %d at leaf %d", j+1, p)
			}
			n.Completes = append(n.Completes, h)
		}
		nodes[p] = n
	}
	return nil
}

// eachKey runs scan on the rows a query of keys returns: on PostgreSQL
// the keys as one array, on SQLite in padded lists of keysAtOnce.
func (t *Tx) eachKey(ctx context.Context, what string, scan func(Row) error, list, array string, keys []int64) error {
	var err error
	if t.d.Arrays {
		err = t.each(ctx, what, scan, array, keys)
	}
	for rest := keys; !t.d.Arrays && len(rest) > 0 && err == nil; rest = rest[min(len(rest), keysAtOnce):] {
		args := make([]any, keysAtOnce)
		for i := range args {
			args[i] = rest[min(i, len(rest)-1)] // the last repeated
		}
		err = t.each(ctx, what, scan, list, args...)
	}
	return t.wrap(err, what)
}

// ReadLeaves returns the data of leaves [start, start+n); one missing is
// an error.
func (t *Tx) ReadLeaves(ctx context.Context, start int64, n int) ([][]byte, error) {
	out, err := collect(ctx, t, func(row Row) (d []byte, err error) { return d, row.Scan(&d) }, readLeafDataQuery, start, start+int64(n))
	if err != nil {
		return nil, t.wrap(err, "read log leaves")
	}
	if len(out) != n {
		return nil, fmt.Errorf("read log leaves: %d of [%d, %d) are there", len(out), start, start+int64(n))
	}
	return out, nil
}

// InsertLeaves appends leaves; a position or an entry already logged is
// EConflict.
func (t *Tx) InsertLeaves(ctx context.Context, leaves []ledger.LogLeaf) error {
	if len(leaves) == 0 {
		return nil
	}
	if t.d.Arrays {
		var (
			idx, at          = make([]int64, len(leaves)), make([]int64, len(leaves))
			kind, ref        = make([]string, len(leaves)), make([]string, len(leaves))
			data, salt, tree = make([][]byte, len(leaves)), make([][]byte, len(leaves)), make([][]byte, len(leaves))
		)
		for i, l := range leaves {
			idx[i], kind[i], ref[i], data[i], salt[i], at[i], tree[i] = l.Index, string(l.Kind), l.Ref, blob(l.Data), l.Salt[:], micros(l.At), treeOf(l)
		}
		_, err := t.exec(ctx, unnestLeaves, idx, kind, ref, data, salt, at, tree)
		return t.logErr(err, "log_leaves")
	}
	rows := make([][]any, len(leaves))
	for i, l := range leaves {
		rows[i] = []any{l.Index, string(l.Kind), l.Ref, blob(l.Data), l.Salt[:], micros(l.At), treeOf(l)}
	}
	return t.logErr(insertLeaves.write(ctx, t, rows), "log_leaves")
}

// treeOf returns the hashes a leaf completed as the tree column keeps
// them: 32 bytes a level, from level 1.
func treeOf(l ledger.LogLeaf) []byte {
	out := make([]byte, 0, len(l.Completes)*translog.HashSize)
	for _, h := range l.Completes {
		out = append(out, h[:]...)
	}
	return out
}

// logErr translates the error of a write to a log's table.
func (t *Tx) logErr(err error, table string) error {
	switch {
	case err == nil:
		return nil
	case t.d.IsUnique(err):
		return Conflict(err, "%s: a row is already in the log", table)
	}
	return t.wrap(err, "insert "+table)
}

// LeafOf returns the leaf of an entry, or ENotFound.
func (t *Tx) LeafOf(ctx context.Context, kind ledger.LogKind, ref string) (*ledger.LogLeaf, error) {
	return one(t, scanLeaf, t.queryRow(ctx, leafOfQuery, string(kind), ref), "read log leaf", "no %s %s is in the log", kind, ref)
}

// LogLeaves returns up to n leaves from start with their salts.
func (t *Tx) LogLeaves(ctx context.Context, start int64, n int) ([]ledger.LogLeaf, error) {
	ls, err := collect(ctx, t, scanLeaf, logLeavesQuery, start, start+int64(n))
	return ls, t.wrap(err, "read log leaves")
}

func scanLeaf(row Row) (ledger.LogLeaf, error) {
	var (
		l    ledger.LogLeaf
		kind string
		salt []byte
		at   int64
	)
	if err := row.Scan(&l.Index, &kind, &l.Ref, &l.Data, &salt, &at); err != nil {
		return l, err
	}
	if len(salt) != translog.SaltSize {
		return l, fmt.Errorf("log leaf %d: a salt of %d bytes", l.Index, len(salt))
	}
	l.Kind, l.Salt, l.At = ledger.LogKind(kind), [translog.SaltSize]byte(salt), fromMicros(at)
	return l, nil
}

// Unlogged returns the keys of up to limit entries of kind without a
// leaf, in the kind's key order, after the key after when the kind has a
// cursor.
func (t *Tx) Unlogged(ctx context.Context, kind ledger.LogKind, after string, limit int) ([]string, error) {
	k, ok := loggedKeys[kind]
	if !ok {
		return nil, tally.Errorf(tally.EInvalid, "%q is not a kind of logged entry", kind)
	}
	from, args := "", []any{string(kind)}
	if after != "" && k.cursor != "" {
		n, err := strconv.ParseInt(after, 10, 64)
		if err != nil {
			return nil, tally.Errorf(tally.EInvalid, "%q is not the key of a logged %s", after, kind)
		}
		from, args = ` AND `+k.cursor+` > ?`, append(args, n)
	}
	refs, err := collect(ctx, t, func(row Row) (s string, err error) { return s, row.Scan(&s) },
		`SELECT `+k.ref+` FROM `+k.table+` e
		WHERE NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.kind = ? AND l.ref = `+k.ref+`)`+from+`
		ORDER BY `+k.order+` LIMIT ?`, append(args, limit)...)
	return refs, t.wrap(err, "read unlogged "+string(kind))
}

// InsertCheckpoint archives a checkpoint; one of its size is EConflict.
func (t *Tx) InsertCheckpoint(ctx context.Context, c *ledger.LogCheckpoint) error {
	err := wrote(t.exec(ctx, insertCheckpointQ, c.Size, c.Root[:], micros(c.At), blob(c.Note)))
	return t.insertErr(err, "insert checkpoint", "a checkpoint of %d entries is already archived", "", c.Size)
}

// LatestCheckpoint returns the checkpoint of the largest tree, or
// ENotFound.
func (t *Tx) LatestCheckpoint(ctx context.Context) (*ledger.LogCheckpoint, error) {
	return one(t, scanCheckpoint, t.queryRow(ctx, latestCheckpointQ), "read checkpoint", "the log has no checkpoint yet")
}

// CheckpointAt returns the checkpoint of a tree size, or ENotFound.
func (t *Tx) CheckpointAt(ctx context.Context, size int64) (*ledger.LogCheckpoint, error) {
	return one(t, scanCheckpoint, t.queryRow(ctx, checkpointAtQuery, size), "read checkpoint", "no checkpoint of %d entries", size)
}

func scanCheckpoint(row Row) (ledger.LogCheckpoint, error) {
	var (
		c    ledger.LogCheckpoint
		root []byte
		at   int64
	)
	if err := row.Scan(&c.Size, &root, &at, &c.Note); err != nil {
		return c, err
	}
	if len(root) != len(c.Root) {
		return c, fmt.Errorf("checkpoint %d: a root of %d bytes", c.Size, len(root))
	}
	c.Root, c.At = translog.Hash(root), fromMicros(at)
	return c, nil
}

// ListEntryByID returns a list entry with its removal, or ENotFound.
func (t *Tx) ListEntryByID(ctx context.Context, id int64) (*tally.ListEntry, error) {
	return one(t, scanEntry, t.queryRow(ctx, listEntryByIDQuery, id), "read list entry", "no list entry %d", id)
}

// RemovalByID returns a removal, or ENotFound.
func (t *Tx) RemovalByID(ctx context.Context, id int64) (*tally.ListRemoval, error) {
	return one(t, scanRemoval, t.queryRow(ctx, removalByIDQuery, id), "read removal", "no removal %d", id)
}

// CatalogueByVersion returns a catalogue version, or ENotFound.
func (t *Tx) CatalogueByVersion(ctx context.Context, version int) (*tally.CatalogueVersion, error) {
	return one(t, scanCatalogue, t.queryRow(ctx, catalogueByVersionQ, version), "read catalogue", "no catalogue version %d", version)
}
