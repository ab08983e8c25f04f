package sqlstore

import (
	"context"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The queries of credit commitments, written with ? placeholders.
const (
	insertCommitmentQuery = `INSERT INTO commitments (scheme, subject_id, what_zh, what_en, due, due_end, rule, permit,
		signed_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	insertSettlementQuery = `INSERT INTO commitment_settlements (commitment_id, outcome, note, settled_at, settled_by, record_id)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING commitment_id`
	commitmentCols = `c.id, c.scheme, c.subject_id, c.what_zh, c.what_en, c.due, c.due_end, c.rule, c.permit,
		c.signed_at, c.recorded_by, s.outcome, s.note, s.settled_at, s.settled_by, s.record_id`
	commitmentFrom = ` FROM commitments c LEFT JOIN commitment_settlements s ON s.commitment_id = c.id`
)

// InsertCommitment stores a signed commitment and sets its ID; an unknown
// subject is ENotFound.
func (t *Tx) InsertCommitment(ctx context.Context, c *tally.Commitment) error {
	err := t.queryRow(ctx, insertCommitmentQuery, c.Scheme, c.SubjectID, c.What.Zh, c.What.En, c.Due, micros(c.DueEnd),
		c.Rule, c.Permit, micros(c.SignedAt), c.RecordedBy).Scan(&c.ID)
	return t.insertErr(err, "insert commitment", "commitment conflict", "no subject %d", c.SubjectID)
}

// InsertSettlement settles a commitment; twice is EConflict, an unknown
// commitment or record ENotFound.
func (t *Tx) InsertSettlement(ctx context.Context, s *tally.Settlement) error {
	var got int64
	err := t.queryRow(ctx, insertSettlementQuery, s.CommitmentID, string(s.Outcome), s.Note, micros(s.At), s.By,
		nullID(s.Record)).Scan(&got)
	return t.insertErr(err, "settle commitment", "commitment %d was already settled", "no commitment %d (or its record)", s.CommitmentID)
}

// Commitment returns a commitment with its settlement, or ENotFound.
func (t *Tx) Commitment(ctx context.Context, id int64) (*tally.Commitment, error) {
	return one(t, scanCommitment, t.queryRow(ctx, `SELECT `+commitmentCols+commitmentFrom+` WHERE c.id = ?`, id),
		"read commitment", "no commitment %d", id)
}

// Commitments returns the commitments the filter selects, by ID.
func (t *Tx) Commitments(ctx context.Context, f ledger.CommitmentFilter) ([]tally.Commitment, error) {
	w := filter(f.DueFilter, "c.id", "c.scheme", "c.subject_id")
	if f.Open {
		w.add("s.commitment_id IS NULL")
	}
	if !f.DueBy.IsZero() {
		w.add("c.due_end <= ?", micros(f.DueBy))
	}
	cs, err := collect(ctx, t, scanCommitment, `SELECT `+commitmentCols+commitmentFrom+w.sql("c.id"), w.args...)
	if err != nil {
		return nil, t.wrap(err, "read commitments")
	}
	return cs, nil
}

func scanCommitment(row Row) (tally.Commitment, error) {
	var (
		c                 tally.Commitment
		dueEnd, signed    int64
		outcome, note, by *string
		settled, recordID *int64
	)
	err := row.Scan(&c.ID, &c.Scheme, &c.SubjectID, &c.What.Zh, &c.What.En, &c.Due, &dueEnd, &c.Rule, &c.Permit,
		&signed, &c.RecordedBy, &outcome, &note, &settled, &by, &recordID)
	if err != nil {
		return c, err
	}
	c.DueEnd, c.SignedAt = fromMicros(dueEnd), fromMicros(signed)
	if settled != nil {
		c.Settlement = &tally.Settlement{CommitmentID: c.ID, Outcome: tally.CommitmentOutcome(*outcome), Note: *note,
			At: fromMicros(*settled), By: *by, Record: deref(recordID)}
	}
	return c, nil
}
