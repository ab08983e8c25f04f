package tally

import "time"

// Due process: what a subject can do about what the ledger says of them,
// and the second look that heavy deductions get before they count. Every
// type here is append-only in storage: a decision is a row of its own,
// never an edit of the thing decided.

// Deadlines a scheme may shorten but never lengthen (the domain reference:
// an objection is acknowledged within 3 working days and decided within 15
// days; an appeal is filed within 10 days of the decision and decided
// within 15; a repair application is decided within 3 working days at the
// agency and derived entries of a revoked decision go within 3 working
// days), and the default threshold of the second review.
const (
	DefaultAcknowledgeWorkingDays  = 3
	DefaultDecideDays              = 15
	DefaultAppealDays              = 10
	DefaultAppealDecideDays        = 15
	DefaultRepairDecideWorkingDays = 3
	DefaultCascadeWorkingDays      = 3
	DefaultSecondReviewAbove       = 50
)

// DueProcess is a scheme's due-process settings: its clocks, each in
// working or calendar days, and the second-review threshold. The zero
// value is not valid; DefaultDueProcess gives the domain's defaults and
// DueProcessPreset a place's.
type DueProcess struct {
	Preset            string // the preset the clocks start from; "" for the defaults
	Acknowledge       Clock  // to acknowledge an objection, from its filing
	Decide            Clock  // to decide an objection, from its filing
	Appeal            Clock  // to file an appeal, from the decision
	AppealDecide      Clock  // to decide an appeal, from its filing
	RepairDecide      Clock  // to decide a repair application, from the application
	Cascade           Clock  // to reverse what a revoked source decision derived, from the revocation
	SecondReviewAbove int64  // a deduction of more points than this waits for a second person
}

// DefaultDueProcess returns the domain's defaults.
func DefaultDueProcess() DueProcess {
	return DueProcess{
		Acknowledge:       WorkingDays(DefaultAcknowledgeWorkingDays),
		Decide:            CalendarDays(DefaultDecideDays),
		Appeal:            CalendarDays(DefaultAppealDays),
		AppealDecide:      CalendarDays(DefaultAppealDecideDays),
		RepairDecide:      WorkingDays(DefaultRepairDecideWorkingDays),
		Cascade:           WorkingDays(DefaultCascadeWorkingDays),
		SecondReviewAbove: DefaultSecondReviewAbove,
	}
}

// Hold is a record that counts only once a second person approves it: a
// deduction above the scheme's threshold or of serious severity. Until
// then it is pending and counts in no score.
type Hold struct {
	RecordID  int64         `json:"record"`
	Scheme    string        `json:"scheme"`
	SubjectID int64         `json:"-"`
	Reason    string        `json:"reason"` // why it waits, as a code (ledger.HoldReason)
	At        time.Time     `json:"at"`
	Decision  *HoldDecision `json:"decision,omitempty"`
}

// HoldDecision approves or rejects a held record. A rejection also
// appends a reversal (Reversal), so the record never counts.
type HoldDecision struct {
	RecordID int64     `json:"-"`
	Approved bool      `json:"approved"`
	Reasons  string    `json:"reasons"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Reversal int64     `json:"reversal,omitzero"`
}

// Pending reports whether a hold still waits for its decision.
func (h *Hold) Pending() bool { return h.Decision == nil }

// ObjectionTarget is what an objection is about.
type ObjectionTarget string

// The objection targets.
const (
	TargetRecord ObjectionTarget = "record" // one record of a scheme
	TargetEntry  ObjectionTarget = "entry"  // one list entry
	TargetScore  ObjectionTarget = "score"  // a subject's score in a scheme
)

// Outcome is how an objection is decided.
type Outcome string

// The outcomes. Voided and Corrected decide in the subject's favour.
const (
	Upheld    Outcome = "upheld"    // the record or entry stands
	Corrected Outcome = "corrected" // a reversal and a corrected record
	Voided    Outcome = "voided"    // a reversal, or for an entry a removal "overturned"
)

// ParseOutcome accepts an outcome's name.
func ParseOutcome(s string) (Outcome, bool) {
	switch o := Outcome(s); o {
	case Upheld, Corrected, Voided:
		return o, true
	}
	return "", false
}

// Objection is a subject's (or their representative's) written objection
// to a record, a list entry or a score, or an appeal against the decision
// on one (AppealOf). Deadlines are fixed when it is filed.
type Objection struct {
	ID            int64           `json:"id"`
	Scheme        string          `json:"scheme,omitempty"` // "" for a list entry
	SubjectID     int64           `json:"-"`
	Target        ObjectionTarget `json:"target"`
	TargetID      int64           `json:"target_id,omitzero"` // the record or entry; 0 for a score
	Grounds       string          `json:"grounds"`
	Evidence      string          `json:"evidence,omitempty"`
	FiledAt       time.Time       `json:"filed_at"`
	FiledBy       string          `json:"filed_by"`
	AppealOf      int64           `json:"appeal_of,omitzero"` // an appeal: the objection decided first
	AcknowledgeBy time.Time       `json:"acknowledge_by"`
	DecideBy      time.Time       `json:"decide_by"`
	// AcknowledgedAt and AcknowledgedBy are set once a reviewer has
	// acknowledged it; deciding acknowledges too.
	AcknowledgedAt time.Time          `json:"acknowledged_at,omitzero"`
	AcknowledgedBy string             `json:"acknowledged_by,omitempty"`
	Decision       *ObjectionDecision `json:"decision,omitempty"`
}

// ObjectionDecision is the written decision on an objection.
type ObjectionDecision struct {
	ObjectionID int64     `json:"-"`
	Outcome     Outcome   `json:"outcome"`
	Reasons     string    `json:"reasons"`
	At          time.Time `json:"at"`
	By          string    `json:"by"`
	Record      int64     `json:"record,omitzero"`     // the record the decision acted on (a score objection names one)
	Reversal    int64     `json:"reversal,omitzero"`   // the reversing record of a void or correction
	Correction  int64     `json:"correction,omitzero"` // the corrected record
	Removal     int64     `json:"removal,omitzero"`    // the removal that ended a list entry
}

// Overdue reports whether the objection missed a deadline at instant now:
// not acknowledged by AcknowledgeBy, or not decided by DecideBy.
func (o *Objection) Overdue(now time.Time) bool {
	if o.Decision != nil {
		return false
	}
	return now.After(o.DecideBy) || (o.AcknowledgedAt.IsZero() && now.After(o.AcknowledgeBy))
}

// Repair is a subject's application to end a deduction's effect early,
// once the severity's minimum has passed and the obligations are met. An
// approved repair ends the record's effect, and its publication, from the
// decision on.
type Repair struct {
	ID          int64     `json:"id"`
	Scheme      string    `json:"scheme"`
	SubjectID   int64     `json:"-"`
	RecordID    int64     `json:"record"`
	Obligations string    `json:"obligations"` // how they are met: "fine paid 2026-02-01, receipt 123"
	AppliedAt   time.Time `json:"applied_at"`
	AppliedBy   string    `json:"applied_by"`
	// DecideBy is when the scheme's repair clock (DueProcess.RepairDecide)
	// runs out; the ledger computes it for a reader, it is not stored.
	DecideBy time.Time `json:"decide_by,omitzero"`
	// Provisional: DecideBy was counted across a year whose holiday
	// notice tally lacks, Monday to Friday.
	Provisional bool            `json:"provisional,omitempty"`
	Decision    *RepairDecision `json:"decision,omitempty"`
}

// RepairDecision approves or refuses a repair.
type RepairDecision struct {
	RepairID int64     `json:"-"`
	RecordID int64     `json:"-"`
	Approved bool      `json:"approved"`
	Reasons  string    `json:"reasons"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
}

// NoticeKind is what a notice tells a subject about.
type NoticeKind string

// The notice kinds.
const (
	NoticeRecord    NoticeKind = "record"    // a record took effect (or waits for a second person)
	NoticeEntry     NoticeKind = "entry"     // a list entry was made
	NoticeDenial    NoticeKind = "denial"    // an eligibility check was denied
	NoticeObjection NoticeKind = "objection" // an objection was decided
)

// Notice is a message to a subject in the outbox: what happened, why
// (rule, basis, evidence), the effect, and how to object by when. About is
// the record, entry or objection it concerns.
type Notice struct {
	ID        int64           `json:"id"`
	SubjectID int64           `json:"-"`
	Scheme    string          `json:"scheme,omitempty"`
	Kind      NoticeKind      `json:"kind"`
	About     int64           `json:"about"`
	Title     string          `json:"title"`
	Body      string          `json:"body"`
	ObjectBy  time.Time       `json:"object_by,omitzero"` // the last day to object, when one may
	CreatedAt time.Time       `json:"created_at"`
	Attempts  []NoticeAttempt `json:"attempts,omitempty"`
	Ack       *NoticeAck      `json:"acknowledged,omitempty"` // nil until the subject says it read the notice
}

// NoticeAck is a subject's word that it read a notice: who said so and
// when. A notice is acknowledged once; the acknowledgment never changes.
type NoticeAck struct {
	NoticeID int64     `json:"-"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
}

// Delivered reports whether an attempt delivered the notice.
func (n *Notice) Delivered() bool {
	for _, a := range n.Attempts {
		if a.Delivered {
			return true
		}
	}
	return false
}

// NoticeAttempt is one try at delivering a notice.
type NoticeAttempt struct {
	ID        int64     `json:"-"`
	NoticeID  int64     `json:"-"`
	At        time.Time `json:"at"`
	Sender    string    `json:"sender"` // "log", "smtp"
	Delivered bool      `json:"delivered"`
	Error     string    `json:"error,omitempty"`
}

// Contact is a subject's address for notices, sealed like an identity
// number (only the masked form is readable from the database). An empty
// Sealed removes the address.
type Contact struct {
	ID        int64
	SubjectID int64
	Sealed    []byte
	Masked    string
	At        time.Time
	By        string
}
