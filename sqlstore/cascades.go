package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// The queries of cascades, written with ? placeholders.
const (
	insertCascadeQuery = `INSERT INTO cascades (source, change, revoked_on, note, due, recorded_at, recorded_by, entries, records)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source) DO NOTHING RETURNING id`
	cascadeCols        = `SELECT id, source, change, revoked_on, note, due, recorded_at, recorded_by, entries, records FROM cascades`
	entriesByCaseQuery = entrySelect + `WHERE e.case_number = ? ORDER BY e.id`
	casesInEffectQuery = `SELECT e.case_number FROM list_entries e LEFT JOIN list_removals r ON r.entry_id = e.id
		WHERE e.list = ? AND e.ends > ? AND r.id IS NULL ORDER BY e.case_number /*bytes*/`
)

// InsertCascade appends c and sets c.ID; a source already revoked is
// EConflict.
func (t *Tx) InsertCascade(ctx context.Context, c *tally.Cascade) error {
	err := t.queryRow(ctx, insertCascadeQuery, c.Source, string(c.Change), micros(c.RevokedOn), c.Note, micros(c.Due),
		micros(c.RecordedAt), c.RecordedBy, idList(c.EntriesRemoved), idList(c.RecordsReversed)).Scan(&c.ID)
	return t.insertErr(err, "insert cascade", "decision %s was already revoked", "", c.Source)
}

// CascadeBySource returns the cascade of a source, or ENotFound.
func (t *Tx) CascadeBySource(ctx context.Context, source string) (*tally.Cascade, error) {
	return one(t, scanCascade, t.queryRow(ctx, cascadeCols+` WHERE source = ?`, source), "read cascade", "no revocation of %s", source)
}

// CascadeList returns the cascades by ID, or only the overdue ones.
func (t *Tx) CascadeList(ctx context.Context, overdue bool) ([]tally.Cascade, error) {
	q := cascadeCols
	if overdue {
		q += ` WHERE recorded_at > due`
	}
	cs, err := collect(ctx, t, scanCascade, q+` ORDER BY id`)
	return cs, t.wrap(err, "read cascades")
}

// ListEntriesByCase returns every list's entries with a case number.
func (t *Tx) ListEntriesByCase(ctx context.Context, caseNumber string) ([]tally.ListEntry, error) {
	es, err := collect(ctx, t, scanEntry, entriesByCaseQuery, caseNumber)
	return es, t.wrap(err, "read list entries by case")
}

// CasesInEffect returns the case numbers of a list's entries neither
// removed nor ended at at.
func (t *Tx) CasesInEffect(ctx context.Context, list string, at time.Time) ([]string, error) {
	cs, err := collect(ctx, t, func(row Row) (c string, err error) { return c, row.Scan(&c) }, casesInEffectQuery, list, micros(at))
	return cs, t.wrap(err, "read cases in effect")
}

func scanCascade(row Row) (tally.Cascade, error) {
	var (
		c                tally.Cascade
		change           string
		revoked, due, at int64
		entries, records string
	)
	if err := row.Scan(&c.ID, &c.Source, &change, &revoked, &c.Note, &due, &at, &c.RecordedBy, &entries, &records); err != nil {
		return c, err
	}
	c.Change, c.RevokedOn, c.Due, c.RecordedAt = tally.SourceChange(change), fromMicros(revoked), fromMicros(due), fromMicros(at)
	var err error
	if c.EntriesRemoved, err = parseIDs(entries); err != nil {
		return c, fmt.Errorf("cascade %d: entries: %w", c.ID, err)
	}
	if c.RecordsReversed, err = parseIDs(records); err != nil {
		return c, fmt.Errorf("cascade %d: records: %w", c.ID, err)
	}
	return c, nil
}

// idList writes IDs space-separated; parseIDs reads them back.
func idList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, " ")
}

func parseIDs(s string) ([]int64, error) {
	var out []int64
	for _, f := range strings.Fields(s) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, nil
}
