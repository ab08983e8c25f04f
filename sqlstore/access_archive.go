package sqlstore

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// The newest entry of the live log never moves: SQLite gives a new row
// the largest ID in its table plus one, so an empty live log would hand
// out IDs the archive already holds.
const archivable = ` FROM access_log WHERE at < ? AND id < (SELECT MAX(id) FROM access_log)`

var (
	countArchivableQuery = fixed("CountArchivable", `SELECT COUNT(*)`+archivable)
	// The last ID of the next chunk of up to limit entries to move.
	archiveChunkQuery = fixed("ArchiveChunk", `SELECT MAX(id) FROM (SELECT id`+archivable+`
		AND id > ? ORDER BY id LIMIT ?) AS chunk`)
	copyToArchiveQuery = fixed("CopyToArchive", `INSERT INTO access_log_archive (id, `+accessCols+`, archived_at)
		SELECT id, `+accessCols+`, ? FROM access_log WHERE at < ? AND id > ? AND id <= ?`)
	// The migration lets an entry leave the live log only once the archive
	// holds it.
	removeArchivedQuery = fixed("RemoveArchived", `DELETE FROM access_log WHERE at < ? AND id > ? AND id <= ?`)
)

// CountArchivable returns how many access-log entries older than before
// ArchiveAccess would move.
func (t *Tx) CountArchivable(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := t.queryRow(ctx, countArchivableQuery, micros(before)).Scan(&n)
	return n, t.wrap(err, "count archivable access entries")
}

// ArchiveAccess moves up to limit access-log entries older than before,
// with IDs greater than after, to the archive, marked as moved at at. It
// returns how many it moved and the last ID it considered (after when
// none is left).
func (t *Tx) ArchiveAccess(ctx context.Context, before, at time.Time, after int64, limit int) (int, int64, error) {
	var last *int64
	if err := t.queryRow(ctx, archiveChunkQuery, micros(before), after, limit).Scan(&last); err != nil {
		return 0, after, t.wrap(err, "archive access entries")
	}
	if last == nil {
		return 0, after, nil
	}
	copied, err := t.exec(ctx, copyToArchiveQuery, micros(at), micros(before), after, *last)
	if err != nil {
		return 0, after, t.wrap(err, "archive access entries")
	}
	removed, err := t.exec(ctx, removeArchivedQuery, micros(before), after, *last)
	if err != nil {
		return 0, after, t.wrap(err, "archive access entries")
	}
	if removed != copied {
		return 0, after, tally.Errorf(tally.EInternal, "archive access entries: copied %d, removed %d", copied, removed)
	}
	return int(removed), *last, nil
}
