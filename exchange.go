package tally

import "time"

// Agreement is one version of a data-sharing agreement between two tally
// instances: which issuer sends which kinds of entries to which receiver,
// for what purpose and on what legal basis. Agreements are data,
// published and versioned like rulebooks, and shown to subjects: nothing
// leaves an instance, and nothing is taken in, outside one. Source is the
// YAML exactly as published; the latest version of an ID is in force.
type Agreement struct {
	ID          string   `json:"id"`
	Version     int      `json:"version"`
	Issuer      string   `json:"issuer"`   // the sending instance's name
	Receiver    string   `json:"receiver"` // the receiving instance's name
	Lists       []string `json:"lists"`    // list entries of these lists, with their removals
	Rules       []string `json:"rules"`    // records of these rules, as scheme/rule, with their reversals
	Purpose     Text     `json:"purpose"`
	Basis       Text     `json:"basis"`
	PublishedAt time.Time
	PublishedBy string
	Digest      string
	Source      []byte `json:"-"`
}

// Covers reports whether the agreement shares a change of this kind about
// this list (list kinds) or scheme/rule (record kinds).
func (a *Agreement) Covers(kind ShareKind, what string) bool {
	names := a.Rules
	if kind.IsList() {
		names = a.Lists
	}
	for _, n := range names {
		if n == what {
			return true
		}
	}
	return false
}

// ShareKind is what a shared change is.
type ShareKind string

// The kinds of shared change.
const (
	ShareListing ShareKind = "list.entry"     // a subject put on a list
	ShareRemoval ShareKind = "list.removal"   // an entry ended before its term (a cascade's too)
	ShareRecord  ShareKind = "record"         // a record of a rule an agreement names
	ShareReverse ShareKind = "record.reverse" // such a record reversed or repaired
)

// ShareKinds lists every kind.
var ShareKinds = []ShareKind{ShareListing, ShareRemoval, ShareRecord, ShareReverse}

// IsList reports whether the kind is about list entries.
func (k ShareKind) IsList() bool { return k == ShareListing || k == ShareRemoval }

// Change is one shared change as the issuer signs it: everything the
// receiver needs to apply it and to know on what authority it came. Seq
// increases by one per issuer and receiver, so a receiver applies each
// change once and in order, and sees a gap. Subject is the full
// identifier: the agreement is the legal basis for passing it on.
type Change struct {
	Issuer           string    `json:"issuer"`
	Receiver         string    `json:"receiver"`
	Agreement        string    `json:"agreement"`
	AgreementVersion int       `json:"agreement_version"`
	Seq              int64     `json:"seq"`
	Kind             ShareKind `json:"kind"`
	At               time.Time `json:"at"` // when the issuer made the change
	Subject          string    `json:"subject"`
	Name             string    `json:"name"`
	List             string    `json:"list,omitempty"`   // list kinds
	Scheme           string    `json:"scheme,omitempty"` // record kinds
	Rule             string    `json:"rule,omitempty"`   // record kinds
	Basis            string    `json:"basis"`            // the legal basis of the entry or record
	Version          int       `json:"version"`          // the catalogue or rulebook version it was made under

	Entry   *SharedEntry   `json:"entry,omitempty"`
	Removal *SharedRemoval `json:"removal,omitempty"`
	Record  *SharedRec     `json:"record,omitempty"`
}

// SharedEntry is a list entry as the issuer decided it.
type SharedEntry struct {
	CaseNumber   string    `json:"case_number"`
	Court        string    `json:"court"`
	DecidedOn    time.Time `json:"decided_on"`
	NoticeServed time.Time `json:"notice_served"`
	Grounds      string    `json:"grounds"`
	Term         string    `json:"term"`
	Aggravation  int       `json:"aggravation,omitempty"`
	Ends         time.Time `json:"ends"`
}

// SharedRemoval ends a shared entry, named by its list and case number.
type SharedRemoval struct {
	CaseNumber string        `json:"case_number"`
	Reason     RemovalReason `json:"reason"`
	On         time.Time     `json:"on"`
	Note       string        `json:"note,omitempty"`
}

// SharedRec is a record as the issuer made it (or, for a reversal, the
// record reversed and why), for the receiver to record again under its
// own rulebook.
type SharedRec struct {
	Ref      string            `json:"ref"` // the issuer's reference: the receiver's idempotency key
	Happened time.Time         `json:"happened"`
	Facts    map[string]string `json:"facts,omitempty"`
	Evidence string            `json:"evidence,omitempty"`
	Reason   string            `json:"reason,omitempty"` // a reversal's
}

// Share is one change waiting in, or sent from, the outbox: written in the
// same transaction as the change, published later.
type Share struct {
	ID          int64 // outbox order
	Receiver    string
	Seq         int64 // the Change's Seq
	SubjectID   int64
	Change      Change
	CreatedAt   time.Time
	PublishedAt time.Time // zero until published
}

// Rejection is a received message that was not applied, and why: kept,
// and sent to the dead-letter subject, never dropped silently.
type Rejection struct {
	ID      int64
	At      time.Time
	Issuer  string // as the message claims; may be unknown
	Seq     int64
	Reason  string
	Message []byte // the message as received
}
