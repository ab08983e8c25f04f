package wire

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
)

// SubjectRequest adds a person or organisation (POST /subjects); ID is
// the full identifier, which the answer shows masked.
type SubjectRequest struct {
	Kind tally.SubjectKind `json:"kind"`
	ID   string            `json:"id"`
	Name string            `json:"name"`
}

// Subject is a subject as the API shows it: never the full identifier.
type Subject = ledger.SubjectView

// PeopleReport counts the rows of a subjects import (POST
// /subjects/imports).
type PeopleReport = ledger.PeopleReport

// EnrolRequest enrols a subject in a scheme (POST
// /schemes/{scheme}/enrolments). Consent must be said, true or false: a
// person is scored only with consent.
type EnrolRequest struct {
	Subject string `json:"subject"`
	Unit    string `json:"unit"`
	Consent *bool  `json:"consent"`
	How     string `json:"how"`
}

// Enrolment is the outcome of an enrolment.
type Enrolment = ledger.EnrolView

// Conduct is what a record says happened (POST /schemes/{scheme}/records):
// who, under which rule, with which facts, when (a date or time in the
// scheme's time zone) and the source's reference, unique in the scheme.
// DryRun asks what would be recorded, writing nothing.
type Conduct struct {
	Subject  string         `json:"subject"`
	Rule     string         `json:"rule"`
	Facts    map[string]any `json:"facts"`
	At       string         `json:"at"`
	Ref      string         `json:"ref"`
	Evidence string         `json:"evidence,omitempty"`
	DryRun   bool           `json:"dry_run,omitempty"`
}

// Recorded is a record as written, or for a dry run as it would be, with
// the subject masked and the rule's title. Unchanged says the same
// reference and content were recorded before; Pending says why the record
// waits for a second person, if it does.
type Recorded struct {
	Record  tally.Record `json:"record"` // its reason in English, as before ReasonText
	Subject Subject      `json:"subject"`
	Title   tally.Text   `json:"title"`
	// ReasonText is the record's reason in Chinese and English.
	ReasonText tally.Text `json:"reason_text"`
	Unchanged  bool       `json:"unchanged"`
	DryRun     bool       `json:"dry_run"`
	Pending    string     `json:"pending,omitempty"`
}

// ReversalRequest reverses a record (POST
// /schemes/{scheme}/records/{id}/reversal): why, and the reversal's own
// reference.
type ReversalRequest struct {
	Reason string `json:"reason"`
	Ref    string `json:"ref"`
}

// ImportReport counts the rows of a records import (POST /imports):
// Unchanged rows were recorded before with the same content; Bad lists
// every row refused, the others being kept.
type ImportReport struct {
	Rows      int        `json:"rows"`
	Recorded  int        `json:"recorded"`
	Unchanged int        `json:"unchanged"`
	Bad       []RowError `json:"bad"`
}

// RowError is one refused row of an import, with where and why.
type RowError = parse.RowError
