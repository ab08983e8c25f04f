package tally

import "time"

// SourceChange is what happened to a source decision (a court judgment,
// an agency's penalty decision) that list entries and records derive from.
type SourceChange string

// The source changes. A changed decision is handled as a revoked one: what
// it derived is removed and reversed, and the new decision is recorded as a
// source of its own (a new case number), as any correction is.
const (
	SourceRevoked SourceChange = "revoked"
	SourceChanged SourceChange = "changed"
)

// NoticeCascade tells a subject what a revoked source decision's cascade
// removed and reversed.
const NoticeCascade NoticeKind = "cascade"

// Cascade is the recorded revocation (or change) of a source decision and
// what it reversed: every list entry whose case number is Source was
// removed as Revoked, and every record whose ref is Source was reversed,
// in one transaction. Due is the end of the cascade clock counted from
// RevokedOn; a cascade recorded after Due is overdue. Append-only.
type Cascade struct {
	ID              int64
	Source          string // the case or decision number
	Change          SourceChange
	RevokedOn       time.Time // when the issuing body revoked or changed its decision
	Note            string    // e.g. the number of the revoking decision
	Due             time.Time
	RecordedAt      time.Time
	RecordedBy      string
	EntriesRemoved  []int64 // the list entries removed
	RecordsReversed []int64 // the records reversed (the originals' IDs)
}

// Overdue reports whether the cascade was recorded after its clock ran out.
func (c *Cascade) Overdue() bool { return c.RecordedAt.After(c.Due) }
