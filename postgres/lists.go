package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
)

const entryCols = `e.id, e.list, e.subject_id, e.lookup, e.name, e.masked, e.case_number, e.court,
	e.decided_on, e.notice_served, e.grounds, e.basis, e.term, e.aggravation, e.ends,
	e.recorded_at, e.recorded_by`

const removalCols = `r.id, r.entry_id, r.reason, r.removed_on, r.note, r.recorded_at, r.recorded_by`

// Conflicting inserts insert nothing (ON CONFLICT DO NOTHING) and inserts
// that name a missing row select nothing, so neither aborts the
// transaction.
const (
	insertCatalogueQuery = `INSERT INTO catalogues (version, published_at, published_by, digest, source)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (version) DO NOTHING`
	latestCatalogueQuery = `SELECT version, published_at, published_by, digest, source
		FROM catalogues ORDER BY version DESC LIMIT 1`
	insertListEntryQuery = `INSERT INTO list_entries
		(list, subject_id, lookup, name, masked, case_number, court, decided_on, notice_served,
		 grounds, basis, term, aggravation, ends, recorded_at, recorded_by)
		SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16 FROM subjects WHERE id = $2
		ON CONFLICT (list, case_number) DO NOTHING RETURNING id`
	subjectExistsQuery = `SELECT COUNT(*) FROM subjects WHERE id = $1`
	entryByCaseQuery   = `SELECT ` + entryCols + `, ` + removalCols + ` FROM list_entries e
		LEFT JOIN list_removals r ON r.entry_id = e.id WHERE e.list = $1 AND e.case_number = $2`
	entriesOfQuery = `SELECT ` + entryCols + `, ` + removalCols + ` FROM list_entries e
		LEFT JOIN list_removals r ON r.entry_id = e.id WHERE e.subject_id = $1 ORDER BY e.id`
	scanEntriesQuery = `SELECT e.id, e.list, e.lookup, e.name, e.notice_served, e.ends
		FROM list_entries e WHERE e.id > $1 AND e.ends > $2 ORDER BY e.id`
	insertRemovalQuery = `INSERT INTO list_removals (entry_id, reason, removed_on, note, recorded_at, recorded_by)
		SELECT id, $2, $3, $4, $5, $6 FROM list_entries WHERE id = $1
		ON CONFLICT (entry_id) DO NOTHING RETURNING id`
	entryExistsQuery   = `SELECT COUNT(*) FROM list_entries WHERE id = $1`
	scanRemovalsQuery  = `SELECT ` + removalCols + ` FROM list_removals r WHERE r.id > $1 ORDER BY r.id`
	addCheckCountQuery = `INSERT INTO check_counts (day, measure, allowed, denied, mismatched) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (day, measure) DO UPDATE SET allowed = check_counts.allowed + excluded.allowed,
		denied = check_counts.denied + excluded.denied, mismatched = check_counts.mismatched + excluded.mismatched`
	checkCountsQuery = `SELECT day, measure, allowed, denied, mismatched FROM check_counts
		WHERE day >= $1 AND day <= $2 ORDER BY day COLLATE "C", measure COLLATE "C"`
)

// InsertCatalogue stores a catalogue version; one that exists is EConflict.
func (t *tx) InsertCatalogue(ctx context.Context, c *tally.CatalogueVersion) error {
	tag, err := t.exec(ctx, insertCatalogueQuery, c.Version, micros(c.PublishedAt), c.PublishedBy, c.Digest, blob(c.Source))
	if err != nil {
		return storeErr(err, "insert catalogue")
	}
	if tag.RowsAffected() == 0 {
		return conflict(nil, "catalogue version %d already exists", c.Version)
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
		e.Court, micros(e.DecidedOn), micros(e.NoticeServed), e.Grounds, e.Basis, e.Term.String(), int64(e.Aggravation),
		micros(e.Ends), micros(e.RecordedAt), e.RecordedBy).Scan(&e.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		var n int64
		if err := t.queryRow(ctx, subjectExistsQuery, e.SubjectID).Scan(&n); err != nil {
			return storeErr(err, "insert list entry")
		}
		if n == 0 {
			return notFound(nil, "no subject with id %d", e.SubjectID)
		}
		return conflict(nil, "list %s already has case %s", e.List, e.CaseNumber)
	}
	if err != nil {
		return storeErr(err, "insert list entry")
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
	es, err := collect(ctx, t, func(row scanner) (tally.ListEntry, error) {
		e, err := scanEntry(row)
		if err != nil {
			return tally.ListEntry{}, err
		}
		return *e, nil
	}, entriesOfQuery, subjectID)
	if err != nil {
		return nil, storeErr(err, "read list entries")
	}
	return es, nil
}

// ScanListEntries streams the entries the check index needs.
func (t *tx) ScanListEntries(ctx context.Context, after int64, endsAfter time.Time, fn func(*tally.ListEntry) error) error {
	rows, err := t.tx.Query(ctx, scanEntriesQuery, after, micros(endsAfter))
	if err != nil {
		t.note(err)
		return storeErr(err, "scan list entries")
	}
	defer rows.Close()
	var (
		e            tally.ListEntry
		notice, ends int64
	)
	for rows.Next() {
		if err := rows.Scan(&e.ID, &e.List, &e.Lookup, &e.Name, &notice, &ends); err != nil {
			t.note(err)
			return storeErr(err, "scan list entries")
		}
		e.NoticeServed, e.Ends = fromMicros(notice), fromMicros(ends)
		if err := fn(&e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		t.note(err)
		return storeErr(err, "scan list entries")
	}
	return nil
}

// InsertRemoval appends r and sets r.ID.
func (t *tx) InsertRemoval(ctx context.Context, r *tally.ListRemoval) error {
	err := t.queryRow(ctx, insertRemovalQuery, r.EntryID, string(r.Reason), micros(r.On), r.Note,
		micros(r.RecordedAt), r.RecordedBy).Scan(&r.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		var n int64
		if err := t.queryRow(ctx, entryExistsQuery, r.EntryID).Scan(&n); err != nil {
			return storeErr(err, "insert removal")
		}
		if n == 0 {
			return notFound(nil, "no list entry %d", r.EntryID)
		}
		return conflict(nil, "list entry %d is already removed", r.EntryID)
	}
	if err != nil {
		return storeErr(err, "insert removal")
	}
	return nil
}

// ScanRemovals streams the removals after ID after.
func (t *tx) ScanRemovals(ctx context.Context, after int64, fn func(tally.ListRemoval) error) error {
	rs, err := collect(ctx, t, scanRemoval, scanRemovalsQuery, after)
	if err != nil {
		return storeErr(err, "scan removals")
	}
	for _, r := range rs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// AddCheckCounts adds to the day's counters.
func (t *tx) AddCheckCounts(ctx context.Context, counts []tally.CheckCount) error {
	for _, c := range counts {
		if _, err := t.exec(ctx, addCheckCountQuery, c.Day, c.Measure, c.Allowed, c.Denied, c.Mismatched); err != nil {
			return storeErr(err, "add check counts")
		}
	}
	return nil
}

// CheckCounts returns the counters of the days from through to.
func (t *tx) CheckCounts(ctx context.Context, from, to string) ([]tally.CheckCount, error) {
	cs, err := collect(ctx, t, func(row scanner) (tally.CheckCount, error) {
		var c tally.CheckCount
		return c, row.Scan(&c.Day, &c.Measure, &c.Allowed, &c.Denied, &c.Mismatched)
	}, checkCountsQuery, from, to)
	if err != nil {
		return nil, storeErr(err, "read check counts")
	}
	return cs, nil
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
		aggravation                     int64
		decided, notice, ends, recorded int64
		rID, rEntry, rOn, rAt           *int64
		rReason, rNote, rBy             *string
	)
	err := row.Scan(&e.ID, &e.List, &e.SubjectID, &e.Lookup, &e.Name, &e.Masked, &e.CaseNumber, &e.Court,
		&decided, &notice, &e.Grounds, &e.Basis, &term, &aggravation, &ends, &recorded, &e.RecordedBy,
		&rID, &rEntry, &rReason, &rOn, &rNote, &rAt, &rBy)
	if err != nil {
		return nil, err
	}
	span, err := tally.ParseSpan(term)
	if err != nil {
		return nil, fmt.Errorf("list entry %d: term: %w", e.ID, err)
	}
	e.Term, e.Aggravation = span, int(aggravation)
	e.DecidedOn, e.NoticeServed, e.Ends, e.RecordedAt = fromMicros(decided), fromMicros(notice), fromMicros(ends), fromMicros(recorded)
	if rID != nil {
		e.Removal = &tally.ListRemoval{ID: *rID, EntryID: *rEntry, Reason: tally.RemovalReason(*rReason),
			On: fromMicros(*rOn), Note: *rNote, RecordedAt: fromMicros(*rAt), RecordedBy: *rBy}
	}
	return &e, nil
}
