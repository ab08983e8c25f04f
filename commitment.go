package tally

import "time"

// Credit commitments (信用承诺): a subject promises something by a date
// (for example to supply a named document later) and is granted a permit
// or measure at once, on signing. An official later records that the
// promise was kept or broken; a breach becomes a record under the rule the
// commitment names. Storage is append-only: the outcome is a row of its
// own, never an edit of the commitment.

// CommitmentOutcome is how a commitment was settled.
type CommitmentOutcome string

// The outcomes of a commitment.
const (
	Fulfilled CommitmentOutcome = "fulfilled" // the promise was kept
	Breached  CommitmentOutcome = "breached"  // it was broken: a record under the commitment's rule
)

// ParseCommitmentOutcome accepts an outcome's name.
func ParseCommitmentOutcome(s string) (CommitmentOutcome, bool) {
	switch o := CommitmentOutcome(s); o {
	case Fulfilled, Breached:
		return o, true
	}
	return "", false
}

// CommitmentState is where a commitment stands at an instant.
type CommitmentState string

// The states of a commitment. Granted is the state from signing: the
// permit it unlocks is in force. Overdue is a granted commitment whose date
// has passed: it is not breached by itself, an official decides.
const (
	CommitmentGranted   CommitmentState = "granted"
	CommitmentOverdue   CommitmentState = "overdue"
	CommitmentFulfilled CommitmentState = "fulfilled"
	CommitmentBreached  CommitmentState = "breached"
)

// Commitment is a signed credit commitment.
type Commitment struct {
	ID         int64       `json:"id"`
	Scheme     string      `json:"scheme"`
	SubjectID  int64       `json:"-"`
	What       Text        `json:"what"`        // what the subject promises, in both languages
	Due        string      `json:"due"`         // the day it is promised by, 2026-03-02, in the scheme's zone
	DueEnd     time.Time   `json:"due_end"`     // the first instant after that day: from then it is overdue
	Rule       string      `json:"rule"`        // the rule a breach is recorded under
	Permit     string      `json:"permit"`      // the permit or measure granted at signing, as a reference
	SignedAt   time.Time   `json:"signed_at"`   // when it was signed and the permit granted
	RecordedBy string      `json:"recorded_by"` // the official who recorded the signing
	Settlement *Settlement `json:"settlement,omitempty"`
}

// Settlement is the one outcome of a commitment: kept or broken, said by
// an official, with the record a breach made.
type Settlement struct {
	CommitmentID int64             `json:"-"`
	Outcome      CommitmentOutcome `json:"outcome"`
	Note         string            `json:"note"` // what the official found
	At           time.Time         `json:"at"`
	By           string            `json:"by"`
	Record       int64             `json:"record,omitzero"` // a breach's record
}

// State returns where the commitment stands at instant now.
func (c *Commitment) State(now time.Time) CommitmentState {
	switch {
	case c.Settlement != nil && c.Settlement.Outcome == Breached:
		return CommitmentBreached
	case c.Settlement != nil:
		return CommitmentFulfilled
	case !now.Before(c.DueEnd):
		return CommitmentOverdue
	}
	return CommitmentGranted
}
