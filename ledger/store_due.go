package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Due process (Holds, Objections, Repairs, Notices, Contacts) is
// append-only: a second decision of one thing is a conflict.

// Holds keeps holds of records for a second person, and their decisions.
// A record held without a decision counts in no score (see Scores).
type Holds interface {
	// InsertHold holds a record for a second person; holding one twice
	// is a conflict.
	InsertHold(ctx context.Context, h *tally.Hold) error
	// InsertHolds holds many records at once, as an import does: one
	// already held is EConflict, a missing one ENotFound, and either fails
	// the call.
	InsertHolds(ctx context.Context, hs []*tally.Hold) error
	// InsertHoldDecision decides a hold; deciding it twice is a conflict,
	// an unknown hold ENotFound.
	InsertHoldDecision(ctx context.Context, d *tally.HoldDecision) error
	// Hold returns a record's hold with its decision, or ENotFound.
	Hold(ctx context.Context, recordID int64) (*tally.Hold, error)
	// Holds returns up to limit holds with record IDs above after, by
	// record ID, as the filter selects.
	Holds(ctx context.Context, f DueFilter) ([]tally.Hold, error)
}

// Objections keeps objections and appeals with their acknowledgements
// and decisions.
type Objections interface {
	// InsertObjection stores an objection or appeal and sets its ID; a
	// second appeal of one decision is a conflict.
	InsertObjection(ctx context.Context, o *tally.Objection) error
	// AcknowledgeObjection records the first acknowledgement; a second is
	// a conflict.
	AcknowledgeObjection(ctx context.Context, id int64, at time.Time, by string) error
	// InsertObjectionDecision decides an objection; twice is a conflict.
	InsertObjectionDecision(ctx context.Context, d *tally.ObjectionDecision) error
	// Objection returns an objection with its acknowledgement and
	// decision, or ENotFound.
	Objection(ctx context.Context, id int64) (*tally.Objection, error)
	// Objections returns up to limit objections with IDs above after, by
	// ID, filtered as Holds are (open: not decided).
	Objections(ctx context.Context, f DueFilter) ([]tally.Objection, error)
	// AppealOf returns the appeal of an objection, or ENotFound.
	AppealOf(ctx context.Context, id int64) (*tally.Objection, error)
	// Disputed returns the records and list entries of the subjects that
	// an objection or appeal holds under dispute at instant at
	// (tally.Objection.Disputes).
	Disputed(ctx context.Context, subjectIDs []int64, at time.Time) (tally.Disputed, error)
}

// Repairs keeps applications to repair a record and their decisions. A
// record an approved repair ended counts in no score after (see Scores).
type Repairs interface {
	// InsertRepair stores a repair application and sets its ID.
	InsertRepair(ctx context.Context, r *tally.Repair) error
	// InsertRepairDecision decides a repair; twice is a conflict.
	InsertRepairDecision(ctx context.Context, d *tally.RepairDecision) error
	// Repair returns a repair with its decision, or ENotFound.
	Repair(ctx context.Context, id int64) (*tally.Repair, error)
	// Repairs returns up to limit repairs with IDs above after, by ID,
	// filtered as Holds are (open: not decided); with Record set, only
	// that record's.
	Repairs(ctx context.Context, f DueFilter) ([]tally.Repair, error)
}

// Notices keeps the outbox of notices to subjects with their delivery
// attempts and the subjects' acknowledgments.
type Notices interface {
	// InsertNotice adds a notice to the outbox and sets its ID.
	InsertNotice(ctx context.Context, n *tally.Notice) error
	// InsertNotices adds notices in as few statements as the store can,
	// as an import writes a batch's, and sets their IDs.
	InsertNotices(ctx context.Context, ns []*tally.Notice) error
	// Notices returns up to limit notices with IDs above after, by ID,
	// each with its attempts and acknowledgment: of a subject (0 for all); with Open, only
	// those not delivered yet.
	Notices(ctx context.Context, f DueFilter) ([]tally.Notice, error)
	// InsertNoticeAttempt appends one delivery attempt.
	InsertNoticeAttempt(ctx context.Context, a *tally.NoticeAttempt) error
	// Notice returns a notice with its acknowledgment (no attempts), or
	// ENotFound.
	Notice(ctx context.Context, id int64) (*tally.Notice, error)
	// InsertNoticeAck acknowledges a notice; a second acknowledgment is a
	// conflict, an unknown notice ENotFound.
	InsertNoticeAck(ctx context.Context, a *tally.NoticeAck) error
}

// Contacts keeps subjects' sealed contact addresses.
type Contacts interface {
	// InsertContact appends a subject's sealed contact address (an empty
	// Sealed removes it); the latest counts.
	InsertContact(ctx context.Context, c *tally.Contact) error
	// Contact returns a subject's latest contact, or ENotFound.
	Contact(ctx context.Context, subjectID int64) (*tally.Contact, error)
}

// DueFilter selects holds, objections, repairs and notices. The zero value
// selects everything, from the start, with the store's default limit of
// none: callers always set Limit.
type DueFilter struct {
	Schemes   []string // nil for every scheme; "" stands for objections to list entries
	SubjectID int64    // 0 for every subject
	Record    int64    // repairs: only this record's
	Open      bool     // only the undecided (or, for notices, undelivered)
	After     int64
	Limit     int
}
