package tally

import (
	"fmt"
	"strings"
	"time"
)

// List is a published list with legal consequences, such as the Supreme
// People's Court list of dishonest judgment defaulters, as the sanctions
// catalogue defines it.
type List struct {
	ID        string `json:"id"`
	Name      Text   `json:"name"`
	Authority string `json:"authority"` // who issues entries, e.g. "people's courts"
	Basis     Text   `json:"basis"`     // the law or rule the list stands on
	Criteria  string `json:"criteria"`  // what puts a subject on the list
	Removal   Text   `json:"removal"`   // how to get off it
	Term      Span   `json:"-"`         // the term of an entry, e.g. 2y
	// Severity is the class of the list's entries (serious unless the
	// catalogue says otherwise); it bounds Term.
	Severity Severity `json:"severity"`
	// MaxAggravation is the most years an entry's term may be lengthened
	// for aggravating circumstances (0: none).
	MaxAggravation int `json:"max_aggravation"`
	// Statement, when set, is the period in which a subject may state its
	// case (陈述申辩) before a listing takes effect: listings start as
	// proposals. Zero: a listing is an entry at once (a court serves its
	// own notice under its own procedure).
	Statement Clock `json:"-"`
}

// MeasureKind tells a restriction of a right from a benefit.
type MeasureKind string

// The measure kinds. A grade may gate a benefit (an incentive); a grade
// alone should never restrict a right.
const (
	Right   MeasureKind = "right"   // e.g. air travel, a public job: restricted only by a list
	Benefit MeasureKind = "benefit" // e.g. a heating discount: may be granted by grade
)

// Measure is one restricted or granted action that ticketing systems and
// agencies ask about, such as air travel or a heating discount.
type Measure struct {
	ID   string      `json:"id"`
	Name Text        `json:"name"`
	Kind MeasureKind `json:"kind"`
	// Gate, when set, allows the measure only to subjects with at least a
	// grade in a scheme.
	Gate *GradeGate `json:"gate,omitempty"`
}

// GradeGate allows a measure only from a grade of a scheme, on a basis.
type GradeGate struct {
	Scheme  string `json:"scheme"`
	AtLeast string `json:"at_least"`
	Basis   Text   `json:"basis"`
}

// Sanction is one link of the joint-sanctions matrix: entries of List
// restrict Measure, on the cited agreement or legal basis.
type Sanction struct {
	List    string `json:"list"`
	Measure string `json:"measure"`
	Basis   Text   `json:"basis"`
}

// CatalogueVersion is one published, immutable version of the sanctions
// catalogue (lists, measures and the matrix). Source is the YAML exactly
// as published; the latest version is in force.
type CatalogueVersion struct {
	Version     int
	PublishedAt time.Time
	PublishedBy string
	Digest      string
	Source      []byte
}

// RemovalReason is why an entry left its list before the end of its term.
type RemovalReason string

// The removal reasons.
const (
	Performed        RemovalReason = "performed"         // the obligation was performed
	Settled          RemovalReason = "settled"           // a settlement was performed
	CreditorRequest  RemovalReason = "creditor-request"  // the creditor asked in writing
	EnforcementEnded RemovalReason = "enforcement-ended" // enforcement was ended
	Overturned       RemovalReason = "overturned"        // the listing was corrected on objection or appeal
	Revoked          RemovalReason = "revoked"           // the decision behind it was revoked (a cascade)
)

// RemovalReasons lists every removal reason.
var RemovalReasons = []RemovalReason{Performed, Settled, CreditorRequest, EnforcementEnded, Overturned, Revoked}

// ParseRemovalReason accepts a removal reason's name.
func ParseRemovalReason(s string) (RemovalReason, error) {
	r := RemovalReason(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range RemovalReasons {
		if r == known {
			return r, nil
		}
	}
	names := make([]string, len(RemovalReasons))
	for i, k := range RemovalReasons {
		names[i] = string(k)
	}
	return "", fmt.Errorf("unknown removal reason %q (want %s)", s, strings.Join(names, ", "))
}

// ListEntry is one listing of a subject, as the issuing body decided it.
// Entries are appended, never changed: an entry ends by itself at Ends, or
// earlier by a Removal, which is an event of its own; a later listing is a
// new entry.
type ListEntry struct {
	ID         int64
	List       string
	SubjectID  int64
	Lookup     []byte // the subject's lookup hash, for the check index
	Name       string // the subject's name as the decision gives it
	Masked     string // the masked identifier
	CaseNumber string // unique in the list: the idempotency key of a listing
	Court      string // the issuing body
	DecidedOn  time.Time
	// NoticeServed is when the decision was served: the entry is in
	// effect from then.
	NoticeServed time.Time
	Grounds      string
	Basis        string // the legal basis the decision cites
	Term         Span
	Aggravation  int       // years added to Term
	Ends         time.Time // NoticeServed + Term + Aggravation
	RecordedAt   time.Time
	RecordedBy   string
	Removal      *ListRemoval // nil: not removed (filled in by store reads)
}

// ListRemoval ends an entry before its term: an appended event.
type ListRemoval struct {
	ID         int64
	EntryID    int64
	Reason     RemovalReason
	On         time.Time // from when the entry no longer counts
	Note       string    // e.g. the court's removal decision number
	RecordedAt time.Time
	RecordedBy string
}

// EntryStatus is where a listing stands at an instant.
type EntryStatus string

// The entry statuses.
const (
	EntryPending  EntryStatus = "pending"   // notice not yet served
	EntryInEffect EntryStatus = "in-effect" // restricts its measures
	EntryEnded    EntryStatus = "ended"     // its term is over
	EntryRemoved  EntryStatus = "removed"   // removed before the end of its term
)

// Until returns when the entry stops counting: its removal, if it has one
// before its term ends, else the end of its term.
func (e *ListEntry) Until() time.Time {
	if e.Removal != nil && e.Removal.On.Before(e.Ends) {
		return e.Removal.On
	}
	return e.Ends
}

// Status returns the entry's status at instant at.
func (e *ListEntry) Status(at time.Time) EntryStatus {
	switch {
	case at.Before(e.NoticeServed):
		return EntryPending
	case e.Removal != nil && !at.Before(e.Removal.On) && e.Removal.On.Before(e.Ends):
		return EntryRemoved
	case !at.Before(e.Ends):
		return EntryEnded
	}
	return EntryInEffect
}

// InEffect reports whether the entry restricts its measures at at.
func (e *ListEntry) InEffect(at time.Time) bool { return e.Status(at) == EntryInEffect }

// EntryEnds returns the end of a term served from notice: the term plus
// the aggravation in years, in notice's location.
func EntryEnds(notice time.Time, term Span, aggravation int) time.Time {
	return term.After(notice).AddDate(aggravation, 0, 0)
}

// CheckCount is how many verifier checks of one measure were answered on
// one day (in the catalogue's time zone), by answer: the statistics that
// report how many purchases were blocked.
type CheckCount struct {
	Day        string `json:"day"` // YYYY-MM-DD
	Measure    string `json:"measure"`
	Allowed    int64  `json:"allowed"`
	Denied     int64  `json:"denied"`
	Mismatched int64  `json:"name_mismatch"`
}
