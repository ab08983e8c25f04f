package tally

import "time"

// Record is one entry of the append-only ledger: something a subject did,
// scored by a rule of the rulebook version in force when it happened.
//
// A correction is a reversal: a new Record whose Reverses is the ID of the
// original. A reversed record and its reversal never count towards a score;
// nothing is updated or deleted.
type Record struct {
	ID         int64          `json:"id"` // assigned by the store
	Scheme     string         `json:"scheme"`
	Version    int            `json:"version"` // the rulebook version that scored it
	SubjectID  int64          `json:"-"`
	Rule       string         `json:"rule"`  // rule code
	Facts      map[string]any `json:"facts"` // the rule's declared inputs; numbers come back from a store as float64
	HappenedAt time.Time      `json:"happened_at"`
	RecordedAt time.Time      `json:"recorded_at"`
	RecordedBy string         `json:"recorded_by"`
	Ref        string         `json:"ref"` // source reference, unique in a scheme: the idempotency key
	Evidence   string         `json:"evidence,omitempty"`
	Requested  int64          `json:"requested"` // points the rule gave before the cap
	Awarded    int64          `json:"awarded"`   // points that count
	Reason     string         `json:"reason"`
	ExpiresAt  time.Time      `json:"expires_at,omitzero"` // zero: never expires
	Reverses   int64          `json:"reverses,omitzero"`   // for a reversal, the record it reverses
	Digest     string         `json:"-"`                   // hash of the content, to tell a replay from a conflict
}

// IsReversal reports whether the record reverses another.
func (r *Record) IsReversal() bool { return r.Reverses != 0 }

// InEffect reports whether instant at lies in the record's own term: it
// happened at or before at and has not expired. It ignores reversal, holds
// and repairs; Counts says whether the record counts in a score.
func (r *Record) InEffect(at time.Time) bool {
	return !r.HappenedAt.After(at) && (r.ExpiresAt.IsZero() || r.ExpiresAt.After(at))
}

// RulebookVersion is one published, immutable version of a scheme's
// rulebook. Source is the YAML exactly as published.
type RulebookVersion struct {
	Scheme      string
	Version     int
	Effective   time.Time
	PublishedAt time.Time
	PublishedBy string
	Digest      string
	Source      []byte
}
