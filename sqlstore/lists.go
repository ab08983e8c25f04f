package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
)

const removalCols = `r.id, r.entry_id, r.reason, r.removed_on, r.note, r.recorded_at, r.recorded_by`

// entrySelect reads entries with their removals (NULL without one); the
// caller appends the WHERE clause on e.
const entrySelect = `SELECT e.id, e.list, e.subject_id, e.lookup, e.name, e.masked, e.case_number, e.court,
	e.decided_on, e.notice_served, e.grounds, e.basis, e.term, e.aggravation, e.ends, e.recorded_at, e.recorded_by,
	` + removalCols + ` FROM list_entries e LEFT JOIN list_removals r ON r.entry_id = e.id `

// Conflicting inserts insert nothing and inserts that name a missing row
// select nothing, so neither aborts a PostgreSQL transaction.
var (
	insertCatalogueQuery = fixed("InsertCatalogue", `INSERT INTO catalogues (version, published_at, published_by, digest, source)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING`)
	latestCatalogueQuery = fixed("LatestCatalogue", `SELECT version, published_at, published_by, digest, source
		FROM catalogues ORDER BY version DESC LIMIT 1`)
	insertListEntryQuery = fixed("InsertListEntry", `INSERT INTO list_entries
		(list, subject_id, lookup, name, masked, case_number, court, decided_on, notice_served,
		 grounds, basis, term, aggravation, ends, recorded_at, recorded_by)
		SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM subjects WHERE id = ?
		ON CONFLICT (list, case_number) DO NOTHING RETURNING id`)
	entryByCaseQuery = fixed("ListEntryByCase", entrySelect+`WHERE e.list = ? AND e.case_number = ?`)
	entriesOfQuery   = fixed("ListEntriesOf", entrySelect+`WHERE e.subject_id = ? ORDER BY e.id`)
	scanEntriesQuery = fixed("ScanListEntries", `SELECT e.id, e.list, e.lookup, e.name, e.notice_served, e.ends
		FROM list_entries e WHERE e.id > ? AND e.ends > ? ORDER BY e.id`)
	insertRemovalQuery = fixed("InsertRemoval", `INSERT INTO list_removals (entry_id, reason, removed_on, note, recorded_at, recorded_by)
		SELECT id, ?, ?, ?, ?, ? FROM list_entries WHERE id = ?
		ON CONFLICT (entry_id) DO NOTHING RETURNING id`)
	scanRemovalsQuery  = fixed("ScanRemovals", `SELECT `+removalCols+` FROM list_removals r WHERE r.id > ? ORDER BY r.id`)
	addCheckCountQuery = fixed("AddCheckCount", `INSERT INTO check_counts (day, measure, allowed, denied, mismatched)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (day, measure) DO UPDATE SET allowed = check_counts.allowed + excluded.allowed,
		denied = check_counts.denied + excluded.denied, mismatched = check_counts.mismatched + excluded.mismatched`)
	checkCountsQuery = fixed("CheckCounts", `SELECT day, measure, allowed, denied, mismatched FROM check_counts
		WHERE day >= ? AND day <= ? ORDER BY day /*bytes*/, measure /*bytes*/`)
)

// InsertCatalogue stores a catalogue version; one that exists is EConflict.
func (t *Tx) InsertCatalogue(ctx context.Context, c *tally.CatalogueVersion) error {
	err := wrote(t.exec(ctx, insertCatalogueQuery, c.Version, micros(c.PublishedAt), c.PublishedBy, c.Digest, blob(c.Source)))
	return t.insertErr(err, "insert catalogue", "catalogue version %d already exists", "", c.Version)
}

// LatestCatalogue returns the latest catalogue version, or ENotFound.
func (t *Tx) LatestCatalogue(ctx context.Context) (*tally.CatalogueVersion, error) {
	return one(t, scanCatalogue, t.queryRow(ctx, latestCatalogueQuery), "read catalogue", "no sanctions catalogue is published")
}

func scanCatalogue(row Row) (c tally.CatalogueVersion, err error) {
	var at int64
	err = row.Scan(&c.Version, &at, &c.PublishedBy, &c.Digest, &c.Source)
	c.PublishedAt = fromMicros(at)
	return c, err
}

// InsertListEntry appends e and sets e.ID; a case number used in the list
// is EConflict, an unknown subject ENotFound.
func (t *Tx) InsertListEntry(ctx context.Context, e *tally.ListEntry) error {
	err := t.queryRow(ctx, insertListEntryQuery, e.List, blob(e.Lookup), e.Name, e.Masked, e.CaseNumber,
		e.Court, micros(e.DecidedOn), micros(e.NoticeServed), e.Grounds, e.Basis, e.Term.String(), int64(e.Aggravation),
		micros(e.Ends), micros(e.RecordedAt), e.RecordedBy, e.SubjectID).Scan(&e.ID)
	return t.settle(ctx, err, "insert list entry", Conflict(nil, "list %s already has case %s", e.List, e.CaseNumber),
		NotFound(nil, "no subject with id %d", e.SubjectID), "subjects WHERE id = ?", e.SubjectID)
}

// ListEntryByCase returns an entry with its removal, or ENotFound.
func (t *Tx) ListEntryByCase(ctx context.Context, list, caseNumber string) (*tally.ListEntry, error) {
	return one(t, scanEntry, t.queryRow(ctx, entryByCaseQuery, list, caseNumber),
		"read list entry", "list %s has no case %s", list, caseNumber)
}

// ListEntriesOf returns a subject's entries with their removals, by ID.
func (t *Tx) ListEntriesOf(ctx context.Context, subjectID int64) ([]tally.ListEntry, error) {
	es, err := collect(ctx, t, scanEntry, entriesOfQuery, subjectID)
	return es, t.wrap(err, "read list entries")
}

// ScanListEntries streams the entries the check index needs, reusing one
// entry for every row: fn must not keep it.
func (t *Tx) ScanListEntries(ctx context.Context, after int64, endsAfter time.Time, fn func(*tally.ListEntry) error) error {
	const op = "scan list entries"
	var (
		e            tally.ListEntry
		notice, ends int64
	)
	return t.each(ctx, op, func(row Row) error {
		if err := row.Scan(&e.ID, &e.List, &e.Lookup, &e.Name, &notice, &ends); err != nil {
			return t.wrap(err, op)
		}
		e.NoticeServed, e.Ends = fromMicros(notice), fromMicros(ends)
		return fn(&e)
	}, scanEntriesQuery, after, micros(endsAfter))
}

// InsertRemoval appends r and sets r.ID; a second removal of an entry is
// EConflict, an unknown entry ENotFound.
func (t *Tx) InsertRemoval(ctx context.Context, r *tally.ListRemoval) error {
	err := t.queryRow(ctx, insertRemovalQuery, string(r.Reason), micros(r.On), r.Note,
		micros(r.RecordedAt), r.RecordedBy, r.EntryID).Scan(&r.ID)
	return t.settle(ctx, err, "insert removal", Conflict(nil, "list entry %d is already removed", r.EntryID),
		NotFound(nil, "no list entry %d", r.EntryID), "list_entries WHERE id = ?", r.EntryID)
}

// ScanRemovals streams the removals after ID after.
func (t *Tx) ScanRemovals(ctx context.Context, after int64, fn func(tally.ListRemoval) error) error {
	const op = "scan removals"
	return t.each(ctx, op, func(row Row) error {
		r, err := scanRemoval(row)
		if err != nil {
			return t.wrap(err, op)
		}
		return fn(r)
	}, scanRemovalsQuery, after)
}

// AddCheckCounts adds to the day's counters.
func (t *Tx) AddCheckCounts(ctx context.Context, counts []tally.CheckCount) error {
	for _, c := range counts {
		if _, err := t.exec(ctx, addCheckCountQuery, c.Day, c.Measure, c.Allowed, c.Denied, c.Mismatched); err != nil {
			return t.wrap(err, "add check counts")
		}
	}
	return nil
}

// CheckCounts returns the counters of the days from through to.
func (t *Tx) CheckCounts(ctx context.Context, from, to string) ([]tally.CheckCount, error) {
	cs, err := collect(ctx, t, func(row Row) (c tally.CheckCount, err error) {
		return c, row.Scan(&c.Day, &c.Measure, &c.Allowed, &c.Denied, &c.Mismatched)
	}, checkCountsQuery, from, to)
	return cs, t.wrap(err, "read check counts")
}

func scanRemoval(row Row) (tally.ListRemoval, error) {
	var (
		r      tally.ListRemoval
		reason string
		on, at int64
	)
	err := row.Scan(&r.ID, &r.EntryID, &reason, &on, &r.Note, &at, &r.RecordedBy)
	r.Reason, r.On, r.RecordedAt = tally.RemovalReason(reason), fromMicros(on), fromMicros(at)
	return r, err
}

// scanEntry reads the columns of entrySelect.
func scanEntry(row Row) (tally.ListEntry, error) {
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
		return e, err
	}
	if e.Term, err = tally.ParseSpan(term); err != nil {
		return e, fmt.Errorf("list entry %d: term: %w", e.ID, err)
	}
	e.Aggravation = int(aggravation)
	e.DecidedOn, e.NoticeServed, e.Ends, e.RecordedAt = fromMicros(decided), fromMicros(notice), fromMicros(ends), fromMicros(recorded)
	if rID != nil {
		e.Removal = &tally.ListRemoval{ID: *rID, EntryID: *rEntry, Reason: tally.RemovalReason(*rReason),
			On: fromMicros(*rOn), Note: *rNote, RecordedAt: fromMicros(*rAt), RecordedBy: *rBy}
	}
	return e, nil
}

// each runs a query and hands each row to fn as it is read, without
// holding them all; an error of fn stops the walk and is returned as it
// is, one of the query is wrapped with op.
func (t *Tx) each(ctx context.Context, op string, fn func(Row) error, q string, args ...any) error {
	rows, err := t.c.Query(ctx, t.d.Bind(q), args...)
	if err != nil {
		return t.wrap(err, op)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return t.wrap(rows.Err(), op)
}
