package tally

import "time"

// Subject is a person or organisation that schemes score. The identifier
// itself is never stored in the clear: Lookup is a keyed hash used to find
// the subject, Sealed the identifier encrypted for authorised display, and
// Masked the form that may be printed.
type Subject struct {
	ID      int64 // assigned by the store
	Kind    SubjectKind
	Name    string
	Masked  string    // e.g. 3604**********0071
	Lookup  []byte    // keyed hash of the identifier
	Sealed  []byte    // the identifier, encrypted
	AdultOn time.Time // persons: the day they turn AdultAge; zero for organisations
	Created time.Time
}

// Enrolment puts a subject in a scheme. Unit is an optional village,
// household group or market section used to group tally sheets. Consent is
// the latest consent decision; a person without consent keeps their
// records but gets no score.
type Enrolment struct {
	Scheme    string
	SubjectID int64
	Unit      string
	Enrolled  time.Time
	By        string
	Consent   Consent
}

// Consent is one decision, given or withdrawn, about being scored in a
// scheme. Consents are appended, never changed.
type Consent struct {
	Scheme    string
	SubjectID int64
	Given     bool
	At        time.Time
	How       string // e.g. "signed form", "cli"
	By        string
}
