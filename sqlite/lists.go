package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
)

const entryCols = `e.id, e.list, e.subject_id, e.lookup, e.name, e.masked, e.case_number, e.court,
	e.decided_on, e.notice_served, e.grounds, e.basis, e.term, e.aggravation, e.ends,
	e.recorded_at, e.recorded_by`

const removalCols = `r.id, r.entry_id, r.reason, r.removed_on, r.note, r.recorded_at, r.recorded_by`

const (
	insertCatalogueQuery = `INSERT INTO catalogues (version, published_at, published_by, digest, source)
		VALUES (?, ?, ?, ?, ?)`
	latestCatalogueQuery = `SELECT version, published_at, published_by, digest, source
		FROM catalogues ORDER BY version DESC LIMIT 1`
	insertListEntryQuery = `INSERT INTO list_entries
		(list, subject_id, lookup, name, masked, case_number, court, decided_on, notice_served,
		 grounds, basis, term, aggravation, ends, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	entryByCaseQuery = `SELECT ` + entryCols + `, ` + removalCols + ` FROM list_entries e
		LEFT JOIN list_removals r ON r.entry_id = e.id WHERE e.list = ? AND e.case_number = ?`
	entriesOfQuery = `SELECT ` + entryCols + `, ` + removalCols + ` FROM list_entries e
		LEFT JOIN list_removals r ON r.entry_id = e.id WHERE e.subject_id = ? ORDER BY e.id`
	scanEntriesQuery = `SELECT e.id, e.list, e.lookup, e.name, e.notice_served, e.ends
		FROM list_entries e WHERE e.id > ? AND e.ends > ? ORDER BY e.id`
	insertRemovalQuery = `INSERT INTO list_removals (entry_id, reason, removed_on, note, recorded_at, recorded_by)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`
	scanRemovalsQuery  = `SELECT ` + removalCols + ` FROM list_removals r WHERE r.id > ? ORDER BY r.id`
	addCheckCountQuery = `INSERT INTO check_counts (day, measure, allowed, denied, mismatched) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (day, measure) DO UPDATE SET allowed = allowed + excluded.allowed,
		denied = denied + excluded.denied, mismatched = mismatched + excluded.mismatched`
	checkCountsQuery = `SELECT day, measure, allowed, denied, mismatched FROM check_counts
		WHERE day >= ? AND day <= ? ORDER BY day, measure`
)

// InsertCatalogue stores a catalogue version; one that exists is EConflict.
func (t *tx) InsertCatalogue(ctx context.Context, c *tally.CatalogueVersion) error {
	_, err := t.exec(ctx, insertCatalogueQuery, c.Version, micros(c.PublishedAt), c.PublishedBy, c.Digest, blob(c.Source))
	if isUnique(err) {
		return conflict(err, "catalogue version %d already exists", c.Version)
	}
	if err != nil {
		return fmt.Errorf("insert catalogue: %w", err)
	}
	return nil
}

// LatestCatalogue returns the latest catalogue version, or ENotFound.
func (t *tx) LatestCatalogue(ctx context.Context) (*tally.CatalogueVersion, error) {
	var (
		c  tally.CatalogueVersion
		at int64
	)
	err := t.queryRow(ctx, latestCatalogueQuery).Scan(&c.Version, &at, &c.PublishedBy, &c.Digest, &c.Source)
	if err != nil {
		return nil, lookupErr(err, "read catalogue", "no sanctions catalogue is published")
	}
	c.PublishedAt = fromMicros(at)
	return &c, nil
}

// InsertListEntry appends e and sets e.ID; a case number used in the list
// is EConflict, an unknown subject ENotFound.
func (t *tx) InsertListEntry(ctx context.Context, e *tally.ListEntry) error {
	err := t.queryRow(ctx, insertListEntryQuery, e.List, e.SubjectID, blob(e.Lookup), e.Name, e.Masked, e.CaseNumber,
		e.Court, micros(e.DecidedOn), micros(e.NoticeServed), e.Grounds, e.Basis, e.Term.String(), e.Aggravation,
		micros(e.Ends), micros(e.RecordedAt), e.RecordedBy).Scan(&e.ID)
	if isUnique(err) {
		return conflict(err, "list %s already has case %s", e.List, e.CaseNumber)
	}
	if isForeignKey(err) {
		return notFound(err, "no subject with id %d", e.SubjectID)
	}
	if err != nil {
		return fmt.Errorf("insert list entry: %w", err)
	}
	return nil
}

// ListEntryByCase returns an entry with its removal, or ENotFound.
func (t *tx) ListEntryByCase(ctx context.Context, list, caseNumber string) (*tally.ListEntry, error) {
	e, err := scanEntry(t.queryRow(ctx, entryByCaseQuery, list, caseNumber))
	if err != nil {
		return nil, lookupErr(err, "read list entry", "list %s has no case %s", list, caseNumber)
	}
	return e, nil
}

// ListEntriesOf returns a subject's entries with their removals, by ID.
func (t *tx) ListEntriesOf(ctx context.Context, subjectID int64) ([]tally.ListEntry, error) {
	rows, err := t.query(ctx, entriesOfQuery, subjectID)
	if err != nil {
		return nil, fmt.Errorf("read list entries: %w", err)
	}
	defer rows.Close()
	out := []tally.ListEntry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("read list entries: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// ScanListEntries streams the entries the check index needs.
func (t *tx) ScanListEntries(ctx context.Context, after int64, endsAfter time.Time, fn func(*tally.ListEntry) error) error {
	rows, err := t.query(ctx, scanEntriesQuery, after, micros(endsAfter))
	if err != nil {
		return fmt.Errorf("scan list entries: %w", err)
	}
	defer rows.Close()
	var (
		e            tally.ListEntry
		notice, ends int64
	)
	for rows.Next() {
		if err := rows.Scan(&e.ID, &e.List, &e.Lookup, &e.Name, &notice, &ends); err != nil {
			return fmt.Errorf("scan list entries: %w", err)
		}
		e.NoticeServed, e.Ends = fromMicros(notice), fromMicros(ends)
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan list entries: %w", err)
	}
	return nil
}

// InsertRemoval appends r and sets r.ID.
func (t *tx) InsertRemoval(ctx context.Context, r *tally.ListRemoval) error {
	err := t.queryRow(ctx, insertRemovalQuery, r.EntryID, string(r.Reason), micros(r.On), r.Note,
		micros(r.RecordedAt), r.RecordedBy).Scan(&r.ID)
	if isUnique(err) {
		return conflict(err, "list entry %d is already removed", r.EntryID)
	}
	if isForeignKey(err) {
		return notFound(err, "no list entry %d", r.EntryID)
	}
	if err != nil {
		return fmt.Errorf("insert removal: %w", err)
	}
	return nil
}

// ScanRemovals streams the removals after ID after.
func (t *tx) ScanRemovals(ctx context.Context, after int64, fn func(tally.ListRemoval) error) error {
	rows, err := t.query(ctx, scanRemovalsQuery, after)
	if err != nil {
		return fmt.Errorf("scan removals: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRemoval(rows)
		if err != nil {
			return fmt.Errorf("scan removals: %w", err)
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan removals: %w", err)
	}
	return nil
}

// AddCheckCounts adds to the day's counters.
func (t *tx) AddCheckCounts(ctx context.Context, counts []tally.CheckCount) error {
	for _, c := range counts {
		if _, err := t.exec(ctx, addCheckCountQuery, c.Day, c.Measure, c.Allowed, c.Denied, c.Mismatched); err != nil {
			return fmt.Errorf("add check counts: %w", err)
		}
	}
	return nil
}

// CheckCounts returns the counters of the days from through to.
func (t *tx) CheckCounts(ctx context.Context, from, to string) ([]tally.CheckCount, error) {
	rows, err := t.query(ctx, checkCountsQuery, from, to)
	if err != nil {
		return nil, fmt.Errorf("read check counts: %w", err)
	}
	defer rows.Close()
	out := []tally.CheckCount{}
	for rows.Next() {
		var c tally.CheckCount
		if err := rows.Scan(&c.Day, &c.Measure, &c.Allowed, &c.Denied, &c.Mismatched); err != nil {
			return nil, fmt.Errorf("read check counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanRemoval(row scanner) (tally.ListRemoval, error) {
	var (
		r      tally.ListRemoval
		reason string
		on, at int64
	)
	if err := row.Scan(&r.ID, &r.EntryID, &reason, &on, &r.Note, &at, &r.RecordedBy); err != nil {
		return r, err
	}
	r.Reason, r.On, r.RecordedAt = tally.RemovalReason(reason), fromMicros(on), fromMicros(at)
	return r, nil
}

// scanEntry reads entryCols and removalCols (NULL without a removal).
func scanEntry(row scanner) (*tally.ListEntry, error) {
	var (
		e                               tally.ListEntry
		term                            string
		decided, notice, ends, recorded int64
		rID, rEntry, rOn, rAt           sql.NullInt64
		rReason, rNote, rBy             sql.NullString
	)
	err := row.Scan(&e.ID, &e.List, &e.SubjectID, &e.Lookup, &e.Name, &e.Masked, &e.CaseNumber, &e.Court,
		&decided, &notice, &e.Grounds, &e.Basis, &term, &e.Aggravation, &ends, &recorded, &e.RecordedBy,
		&rID, &rEntry, &rReason, &rOn, &rNote, &rAt, &rBy)
	if err != nil {
		return nil, err
	}
	span, err := tally.ParseSpan(term)
	if err != nil {
		return nil, fmt.Errorf("list entry %d: term: %w", e.ID, err)
	}
	e.Term = span
	e.DecidedOn, e.NoticeServed, e.Ends, e.RecordedAt = fromMicros(decided), fromMicros(notice), fromMicros(ends), fromMicros(recorded)
	if rID.Valid {
		e.Removal = &tally.ListRemoval{ID: rID.Int64, EntryID: rEntry.Int64, Reason: tally.RemovalReason(rReason.String),
			On: fromMicros(rOn.Int64), Note: rNote.String, RecordedAt: fromMicros(rAt.Int64), RecordedBy: rBy.String}
	}
	return &e, nil
}
