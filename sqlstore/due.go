package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The due-process queries, written with ? placeholders; bind turns them
// into the driver's.
const (
	insertHoldQuery = `INSERT INTO holds (record_id, scheme, subject_id, reason, held_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING record_id`
	insertHoldDecisionQuery = `INSERT INTO hold_decisions (record_id, approved, reasons, decided_at, decided_by, reversal_id)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING record_id`
	holdCols = `h.record_id, h.scheme, h.subject_id, h.reason, h.held_at,
		d.approved, d.reasons, d.decided_at, d.decided_by, d.reversal_id`
	holdFrom = ` FROM holds h LEFT JOIN hold_decisions d ON d.record_id = h.record_id`

	insertObjectionQuery = `INSERT INTO objections (scheme, subject_id, target, target_id, grounds, evidence,
		filed_at, filed_by, appeal_of, acknowledge_by, decide_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`
	ackObjectionQuery = `INSERT INTO objection_acks (objection_id, acknowledged_at, acknowledged_by)
		VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING objection_id`
	insertObjectionDecisionQuery = `INSERT INTO objection_decisions (objection_id, outcome, reasons, decided_at, decided_by,
		record_id, reversal_id, correction_id, removal_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING objection_id`
	objectionCols = `o.id, o.scheme, o.subject_id, o.target, o.target_id, o.grounds, o.evidence, o.filed_at, o.filed_by,
		o.appeal_of, o.acknowledge_by, o.decide_by, a.acknowledged_at, a.acknowledged_by,
		d.outcome, d.reasons, d.decided_at, d.decided_by, d.record_id, d.reversal_id, d.correction_id, d.removal_id`
	objectionFrom = ` FROM objections o LEFT JOIN objection_acks a ON a.objection_id = o.id
		LEFT JOIN objection_decisions d ON d.objection_id = o.id`

	insertRepairQuery = `INSERT INTO repairs (scheme, subject_id, record_id, obligations, applied_at, applied_by)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`
	insertRepairDecisionQuery = `INSERT INTO repair_decisions (repair_id, record_id, approved, reasons, decided_at, decided_by)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING repair_id`
	repairCols = `p.id, p.scheme, p.subject_id, p.record_id, p.obligations, p.applied_at, p.applied_by,
		d.record_id, d.approved, d.reasons, d.decided_at, d.decided_by`
	repairFrom = ` FROM repairs p LEFT JOIN repair_decisions d ON d.repair_id = p.id`

	noticeCols           = `n.id, n.subject_id, n.scheme, n.kind, n.about, n.title, n.body, n.object_by, n.created_at, k.acknowledged_at, k.acknowledged_by`
	noticeFrom           = ` FROM notices n LEFT JOIN notice_acks k ON k.notice_id = n.id`
	insertNoticeAckQuery = `INSERT INTO notice_acks (notice_id, acknowledged_at, acknowledged_by)
		VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING notice_id`
	insertAttemptQuery   = `INSERT INTO notice_attempts (notice_id, at, sender, delivered, error) VALUES (?, ?, ?, ?, ?) RETURNING id`
	insertContactQuery   = `INSERT INTO contacts (subject_id, sealed, masked, at, set_by) VALUES (?, ?, ?, ?, ?) RETURNING id`
	contactQuery         = `SELECT id, subject_id, sealed, masked, at, set_by FROM contacts WHERE subject_id = ? ORDER BY id DESC LIMIT 1`
	undeliveredCondition = `NOT EXISTS (SELECT 1 FROM notice_attempts x WHERE x.notice_id = n.id AND x.delivered = 1)`
)

// InsertHold holds a record; holding it twice is EConflict, an unknown
// record ENotFound.
func (t *Tx) InsertHold(ctx context.Context, h *tally.Hold) error {
	var id int64
	err := t.queryRow(ctx, insertHoldQuery, h.RecordID, h.Scheme, h.SubjectID, h.Reason, micros(h.At)).Scan(&id)
	return t.insertErr(err, "hold record", "record %d is already held", "no record %d to hold", h.RecordID)
}

// InsertHolds holds many records in bulk (COPY on PostgreSQL).
func (t *Tx) InsertHolds(ctx context.Context, hs []*tally.Hold) error {
	return insertRows(ctx, t, "holds", []string{"record_id", "scheme", "subject_id", "reason", "held_at"}, hs,
		func(h *tally.Hold) []any { return []any{h.RecordID, h.Scheme, h.SubjectID, h.Reason, micros(h.At)} })
}

// InsertHoldDecision decides a hold; twice is EConflict, an unknown hold
// ENotFound.
func (t *Tx) InsertHoldDecision(ctx context.Context, d *tally.HoldDecision) error {
	var id int64
	err := t.queryRow(ctx, insertHoldDecisionQuery, d.RecordID, flag(d.Approved), d.Reasons, micros(d.At), d.By, nullID(d.Reversal)).Scan(&id)
	return t.insertErr(err, "decide hold", "record %d was already reviewed", "record %d is not held", d.RecordID)
}

// Hold returns a record's hold with its decision, or ENotFound.
func (t *Tx) Hold(ctx context.Context, recordID int64) (*tally.Hold, error) {
	return one(t, scanHold, t.queryRow(ctx, `SELECT `+holdCols+holdFrom+` WHERE h.record_id = ?`, recordID), "read hold", "record %d is not held", recordID)
}

// Holds returns the holds the filter selects, by record ID.
func (t *Tx) Holds(ctx context.Context, f ledger.DueFilter) ([]tally.Hold, error) {
	w := filter(f, "h.record_id", "h.scheme", "h.subject_id")
	if f.Open {
		w.add("d.record_id IS NULL")
	}
	hs, err := collect(ctx, t, scanHold, `SELECT `+holdCols+holdFrom+w.sql("h.record_id"), w.args...)
	if err != nil {
		return nil, t.wrap(err, "read holds")
	}
	return hs, nil
}

// InsertObjection stores an objection and sets its ID; a second appeal of
// one decision is EConflict.
func (t *Tx) InsertObjection(ctx context.Context, o *tally.Objection) error {
	err := t.queryRow(ctx, insertObjectionQuery, o.Scheme, o.SubjectID, string(o.Target), o.TargetID, o.Grounds, o.Evidence,
		micros(o.FiledAt), o.FiledBy, nullID(o.AppealOf), micros(o.AcknowledgeBy), micros(o.DecideBy)).Scan(&o.ID)
	return t.insertErr(err, "insert objection", "objection %d was already appealed", "no subject %d or objection %d", o.AppealOf, o.SubjectID, o.AppealOf)
}

// AcknowledgeObjection records the first acknowledgement.
func (t *Tx) AcknowledgeObjection(ctx context.Context, id int64, at time.Time, by string) error {
	var got int64
	err := t.queryRow(ctx, ackObjectionQuery, id, micros(at), by).Scan(&got)
	return t.insertErr(err, "acknowledge objection", "objection %d was already acknowledged", "no objection %d", id)
}

// InsertObjectionDecision decides an objection; twice is EConflict.
func (t *Tx) InsertObjectionDecision(ctx context.Context, d *tally.ObjectionDecision) error {
	var got int64
	err := t.queryRow(ctx, insertObjectionDecisionQuery, d.ObjectionID, string(d.Outcome), d.Reasons, micros(d.At), d.By,
		nullID(d.Record), nullID(d.Reversal), nullID(d.Correction), nullID(d.Removal)).Scan(&got)
	return t.insertErr(err, "decide objection", "objection %d was already decided", "no objection %d", d.ObjectionID)
}

// Objection returns an objection with its acknowledgement and decision.
func (t *Tx) Objection(ctx context.Context, id int64) (*tally.Objection, error) {
	return one(t, scanObjection, t.queryRow(ctx, `SELECT `+objectionCols+objectionFrom+` WHERE o.id = ?`, id), "read objection", "no objection %d", id)
}

// AppealOf returns the appeal of objection id, or ENotFound.
func (t *Tx) AppealOf(ctx context.Context, id int64) (*tally.Objection, error) {
	return one(t, scanObjection, t.queryRow(ctx, `SELECT `+objectionCols+objectionFrom+` WHERE o.appeal_of = ?`, id), "read appeal", "objection %d is not appealed", id)
}

// Objections returns the objections the filter selects, by ID.
func (t *Tx) Objections(ctx context.Context, f ledger.DueFilter) ([]tally.Objection, error) {
	w := filter(f, "o.id", "o.scheme", "o.subject_id")
	if f.Open {
		w.add("d.objection_id IS NULL")
	}
	os, err := collect(ctx, t, scanObjection, `SELECT `+objectionCols+objectionFrom+w.sql("o.id"), w.args...)
	if err != nil {
		return nil, t.wrap(err, "read objections")
	}
	return os, nil
}

// InsertRepair stores a repair application and sets its ID.
func (t *Tx) InsertRepair(ctx context.Context, r *tally.Repair) error {
	err := t.queryRow(ctx, insertRepairQuery, r.Scheme, r.SubjectID, r.RecordID, r.Obligations, micros(r.AppliedAt), r.AppliedBy).Scan(&r.ID)
	return t.insertErr(err, "insert repair", "record %d: repair conflict", "no record %d", r.RecordID)
}

// InsertRepairDecision decides a repair; twice is EConflict.
func (t *Tx) InsertRepairDecision(ctx context.Context, d *tally.RepairDecision) error {
	var got int64
	err := t.queryRow(ctx, insertRepairDecisionQuery, d.RepairID, d.RecordID, flag(d.Approved), d.Reasons, micros(d.At), d.By).Scan(&got)
	return t.insertErr(err, "decide repair", "repair %d was already decided", "no repair %d", d.RepairID)
}

// Repair returns a repair with its decision, or ENotFound.
func (t *Tx) Repair(ctx context.Context, id int64) (*tally.Repair, error) {
	return one(t, scanRepair, t.queryRow(ctx, `SELECT `+repairCols+repairFrom+` WHERE p.id = ?`, id), "read repair", "no repair %d", id)
}

// Repairs returns the repairs the filter selects, by ID.
func (t *Tx) Repairs(ctx context.Context, f ledger.DueFilter) ([]tally.Repair, error) {
	w := filter(f, "p.id", "p.scheme", "p.subject_id")
	if f.Open {
		w.add("d.repair_id IS NULL")
	}
	if f.Record != 0 {
		w.add("p.record_id = ?", f.Record)
	}
	rs, err := collect(ctx, t, scanRepair, `SELECT `+repairCols+repairFrom+w.sql("p.id"), w.args...)
	if err != nil {
		return nil, t.wrap(err, "read repairs")
	}
	return rs, nil
}

// InsertNotice adds a notice to the outbox and sets its ID.
func (t *Tx) InsertNotice(ctx context.Context, n *tally.Notice) error {
	err := t.queryRow(ctx, insertNoticeQuery, n.SubjectID, n.Scheme, string(n.Kind), n.About, n.Title, n.Body,
		nullTime(n.ObjectBy), micros(n.CreatedAt)).Scan(&n.ID)
	return t.insertErr(err, "insert notice", "notice conflict", "no subject %d", n.SubjectID)
}

// noticeColumns are the columns a notice's insert writes.
var noticeColumns = []string{"subject_id", "scheme", "kind", "about", "title", "body", "object_by", "created_at"}

var (
	insertNoticeQuery = fixed("InsertNotice", insertValues("notices", noticeColumns, 1)+` RETURNING id`)
	insertNotices     = newBulkInsert("InsertNotices", "notices", noticeColumns)
)

// InsertNotices adds notices to the outbox in multi-row INSERTs, as an
// import writes a batch's, and sets their IDs.
func (t *Tx) InsertNotices(ctx context.Context, ns []*tally.Notice) error {
	rows := make([][]any, len(ns))
	for i, n := range ns {
		rows[i] = []any{n.SubjectID, n.Scheme, string(n.Kind), n.About, n.Title, n.Body, nullTime(n.ObjectBy), micros(n.CreatedAt)}
	}
	ids, err := insertNotices.insert(ctx, t, rows)
	if err != nil {
		return t.insertErr(err, "insert notices", "", "a notice names a subject that does not exist")
	}
	for i, n := range ns {
		n.ID = ids[i]
	}
	return nil
}

// Notices returns the notices the filter selects, by ID, each with its
// delivery attempts.
func (t *Tx) Notices(ctx context.Context, f ledger.DueFilter) ([]tally.Notice, error) {
	w := filter(f, "n.id", "n.scheme", "n.subject_id")
	if f.Open {
		w.add(undeliveredCondition)
	}
	ns, err := collect(ctx, t, scanNotice, `SELECT `+noticeCols+noticeFrom+w.sql("n.id"), w.args...)
	if err != nil || len(ns) == 0 {
		return ns, t.wrap(err, "read notices")
	}
	ids := make([]any, len(ns))
	at := map[int64]int{}
	for i, n := range ns {
		ids[i], at[n.ID] = n.ID, i
	}
	q := `SELECT id, notice_id, at, sender, delivered, error FROM notice_attempts WHERE notice_id IN (?` +
		strings.Repeat(", ?", len(ids)-1) + `) ORDER BY id`
	as, err := collect(ctx, t, scanAttempt, q, ids...)
	if err != nil {
		return nil, t.wrap(err, "read notice attempts")
	}
	for _, a := range as {
		n := &ns[at[a.NoticeID]]
		n.Attempts = append(n.Attempts, a)
	}
	return ns, nil
}

// InsertNoticeAttempt appends one delivery attempt.
func (t *Tx) InsertNoticeAttempt(ctx context.Context, a *tally.NoticeAttempt) error {
	err := t.queryRow(ctx, insertAttemptQuery, a.NoticeID, micros(a.At), a.Sender, flag(a.Delivered), a.Error).Scan(&a.ID)
	return t.insertErr(err, "insert notice attempt", "attempt conflict", "no notice %d", a.NoticeID)
}

// Notice returns a notice with its acknowledgment, or ENotFound.
func (t *Tx) Notice(ctx context.Context, id int64) (*tally.Notice, error) {
	return one(t, scanNotice, t.queryRow(ctx, `SELECT `+noticeCols+noticeFrom+` WHERE n.id = ?`, id), "read notice", "no notice %d", id)
}

// InsertNoticeAck acknowledges a notice; twice is EConflict, an unknown
// notice ENotFound.
func (t *Tx) InsertNoticeAck(ctx context.Context, a *tally.NoticeAck) error {
	var got int64
	err := t.queryRow(ctx, insertNoticeAckQuery, a.NoticeID, micros(a.At), a.By).Scan(&got)
	return t.insertErr(err, "acknowledge notice", "notice %d was already acknowledged", "no notice %d", a.NoticeID)
}

// InsertContact appends a subject's sealed contact address.
func (t *Tx) InsertContact(ctx context.Context, c *tally.Contact) error {
	err := t.queryRow(ctx, insertContactQuery, c.SubjectID, blob(c.Sealed), c.Masked, micros(c.At), c.By).Scan(&c.ID)
	return t.insertErr(err, "insert contact", "contact conflict", "no subject %d", c.SubjectID)
}

// Contact returns a subject's latest contact, or ENotFound.
func (t *Tx) Contact(ctx context.Context, subjectID int64) (*tally.Contact, error) {
	var c tally.Contact
	var at int64
	err := t.queryRow(ctx, contactQuery, subjectID).Scan(&c.ID, &c.SubjectID, &c.Sealed, &c.Masked, &at, &c.By)
	if err != nil {
		return nil, t.lookupErr(err, "read contact", "subject %d has no contact address", subjectID)
	}
	c.At = fromMicros(at)
	return &c, nil
}

// where builds a WHERE clause with ? placeholders.
type where struct {
	conds []string
	args  []any
	limit int
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// sql returns the clause, ordered by the column order and limited.
func (w *where) sql(order string) string {
	w.args = append(w.args, w.limit)
	return ` WHERE ` + strings.Join(w.conds, " AND ") + ` ORDER BY ` + order + ` LIMIT ?`
}

// filter starts a clause from the common fields of a DueFilter.
func filter(f ledger.DueFilter, idCol, schemeCol, subjectCol string) *where {
	w := &where{limit: f.Limit}
	w.add(idCol+" > ?", f.After)
	if f.Schemes != nil {
		if len(f.Schemes) == 0 {
			w.add("1 = 0")
		} else {
			args := make([]any, len(f.Schemes))
			for i, s := range f.Schemes {
				args[i] = s
			}
			w.add(schemeCol+" IN (?"+strings.Repeat(", ?", len(args)-1)+")", args...)
		}
	}
	if f.SubjectID != 0 {
		w.add(subjectCol+" = ?", f.SubjectID)
	}
	return w
}

func scanHold(row Row) (tally.Hold, error) {
	var (
		h                 tally.Hold
		at                int64
		approved, decided *int64
		reasons, by       *string
		reversal          *int64
	)
	if err := row.Scan(&h.RecordID, &h.Scheme, &h.SubjectID, &h.Reason, &at, &approved, &reasons, &decided, &by, &reversal); err != nil {
		return h, err
	}
	h.At = fromMicros(at)
	if decided != nil {
		h.Decision = &tally.HoldDecision{RecordID: h.RecordID, Approved: *approved != 0, Reasons: *reasons,
			At: fromMicros(*decided), By: *by, Reversal: deref(reversal)}
	}
	return h, nil
}

func scanObjection(row Row) (tally.Objection, error) {
	var (
		o                                     tally.Objection
		target                                string
		filed, ackBy, decideBy                int64
		appealOf, ackAt, decidedAt            *int64
		ackedBy, outcome, reasons, decidedBy  *string
		record, reversal, correction, removal *int64
	)
	err := row.Scan(&o.ID, &o.Scheme, &o.SubjectID, &target, &o.TargetID, &o.Grounds, &o.Evidence, &filed, &o.FiledBy,
		&appealOf, &ackBy, &decideBy, &ackAt, &ackedBy,
		&outcome, &reasons, &decidedAt, &decidedBy, &record, &reversal, &correction, &removal)
	if err != nil {
		return o, err
	}
	o.Target, o.FiledAt, o.AppealOf = tally.ObjectionTarget(target), fromMicros(filed), deref(appealOf)
	o.AcknowledgeBy, o.DecideBy = fromMicros(ackBy), fromMicros(decideBy)
	if ackAt != nil {
		o.AcknowledgedAt, o.AcknowledgedBy = fromMicros(*ackAt), *ackedBy
	}
	if decidedAt != nil {
		o.Decision = &tally.ObjectionDecision{ObjectionID: o.ID, Outcome: tally.Outcome(*outcome), Reasons: *reasons,
			At: fromMicros(*decidedAt), By: *decidedBy, Record: deref(record), Reversal: deref(reversal),
			Correction: deref(correction), Removal: deref(removal)}
	}
	return o, nil
}

func scanRepair(row Row) (tally.Repair, error) {
	var (
		r                                tally.Repair
		applied                          int64
		decidedRecord, approved, decided *int64
		reasons, by                      *string
	)
	err := row.Scan(&r.ID, &r.Scheme, &r.SubjectID, &r.RecordID, &r.Obligations, &applied, &r.AppliedBy,
		&decidedRecord, &approved, &reasons, &decided, &by)
	if err != nil {
		return r, err
	}
	r.AppliedAt = fromMicros(applied)
	if decided != nil {
		// The decision's record is its own, as stored: it is the one the
		// decision ends, and what the log commits to.
		r.Decision = &tally.RepairDecision{RepairID: r.ID, RecordID: *decidedRecord, Approved: *approved != 0,
			Reasons: *reasons, At: fromMicros(*decided), By: *by}
	}
	return r, nil
}

func scanNotice(row Row) (tally.Notice, error) {
	var (
		n        tally.Notice
		kind     string
		objectBy *int64
		created  int64
		ackAt    *int64
		ackBy    *string
	)
	err := row.Scan(&n.ID, &n.SubjectID, &n.Scheme, &kind, &n.About, &n.Title, &n.Body, &objectBy, &created, &ackAt, &ackBy)
	if err != nil {
		return n, err
	}
	n.Kind, n.CreatedAt = tally.NoticeKind(kind), fromMicros(created)
	if objectBy != nil {
		n.ObjectBy = fromMicros(*objectBy)
	}
	if ackAt != nil && ackBy != nil {
		n.Ack = &tally.NoticeAck{NoticeID: n.ID, At: fromMicros(*ackAt), By: *ackBy}
	}
	return n, nil
}

func scanAttempt(row Row) (tally.NoticeAttempt, error) {
	var (
		a             tally.NoticeAttempt
		at, delivered int64
	)
	if err := row.Scan(&a.ID, &a.NoticeID, &at, &a.Sender, &delivered, &a.Error); err != nil {
		return a, err
	}
	a.At, a.Delivered = fromMicros(at), delivered != 0
	return a, nil
}
