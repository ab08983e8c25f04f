package ledger

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/tallycredit/tally"
)

// LogKind names a kind of entry the transparency log commits to.
type LogKind string

// The kinds of logged entries. A reversal is a record.
const (
	LogRecord            LogKind = "record"
	LogListEntry         LogKind = "list-entry"
	LogRemoval           LogKind = "list-removal"
	LogObjectionDecision LogKind = "objection-decision"
	LogRepairDecision    LogKind = "repair-decision"
	LogRulebook          LogKind = "rulebook"
	LogCatalogue         LogKind = "catalogue"
	LogAgreement         LogKind = "agreement"
	// LogSubject: the other entries name a subject by its ID alone; its
	// own leaf binds that ID to the identifier checks go by and the name.
	LogSubject LogKind = "subject"
)

// LogKinds lists every kind of logged entry.
var LogKinds = []LogKind{LogRecord, LogListEntry, LogRemoval, LogObjectionDecision, LogRepairDecision, LogRulebook, LogCatalogue, LogAgreement, LogSubject}

// An entry's canonical bytes, which its leaf commits to, are the JSON of
// the fields that define it as stored, in the order the structs below
// declare them: IDs as numbers, times in UTC RFC 3339 with exactly six
// fractional digits (the store keeps microseconds; "" for the zero time),
// texts as stored, blobs (rulebook, catalogue and agreement sources, a
// subject's lookup and sealed identifier) as base64, a record's facts as
// the JSON the store keeps (keys sorted, numbers as JSON numbers). The first field names the kind, so that no
// two kinds share bytes. Each kind's key in the log (its ref) is the
// entry's ID, or for versions "scheme/version", "version" and
// "id/version".

// logTime is a time as canonical bytes carry it.
func logTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z")
}

// loggedEntry is an entry's kind, key and canonical bytes.
type loggedEntry struct {
	kind      LogKind
	ref       string
	canonical []byte
}

// canon returns the canonical bytes of v, a struct of the fields below.
func canon(kind LogKind, ref string, v any) (loggedEntry, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return loggedEntry{}, fmt.Errorf("log %s %s: %w", kind, ref, err)
	}
	return loggedEntry{kind: kind, ref: ref, canonical: b}, nil
}

func idRef(id int64) string { return strconv.FormatInt(id, 10) }

// recordEntry returns a record's (or reversal's) canonical bytes.
func recordEntry(r *tally.Record) (loggedEntry, error) {
	facts, err := storedFacts(r.Facts)
	if err != nil {
		return loggedEntry{}, err
	}
	return canon(LogRecord, idRef(r.ID), struct {
		Kind       LogKind         `json:"kind"`
		ID         int64           `json:"id"`
		Scheme     string          `json:"scheme"`
		Version    int             `json:"version"`
		SubjectID  int64           `json:"subject_id"`
		Rule       string          `json:"rule"`
		Facts      json.RawMessage `json:"facts"`
		HappenedAt string          `json:"happened_at"`
		RecordedAt string          `json:"recorded_at"`
		RecordedBy string          `json:"recorded_by"`
		Ref        string          `json:"ref"`
		Evidence   string          `json:"evidence"`
		Requested  int64           `json:"requested"`
		Awarded    int64           `json:"awarded"`
		Reason     string          `json:"reason"`
		ExpiresAt  string          `json:"expires_at"`
		Reverses   int64           `json:"reverses"`
		Digest     string          `json:"digest"`
	}{LogRecord, r.ID, r.Scheme, r.Version, r.SubjectID, r.Rule, facts, logTime(r.HappenedAt), logTime(r.RecordedAt), r.RecordedBy,
		r.Ref, r.Evidence, r.Requested, r.Awarded, r.Reason, logTime(r.ExpiresAt), r.Reverses, r.Digest})
}

// storedFacts returns facts as the store gives them back: JSON, read
// into plain values (numbers as float64) and written again, keys sorted.
func storedFacts(facts map[string]any) (json.RawMessage, error) {
	if facts == nil {
		return json.RawMessage("{}"), nil
	}
	b, err := json.Marshal(facts)
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "facts that are not JSON: %v", err)
	}
	if plainFacts(facts) {
		return b, nil
	}
	var plain map[string]any
	if err := json.Unmarshal(b, &plain); err != nil {
		return nil, fmt.Errorf("facts: %w", err)
	}
	return json.Marshal(plain)
}

// plainFacts reports whether every fact is a value JSON reads back as
// the same value (a valid UTF-8 string, a float64, a bool or nil), so that facts
// written once are already as the store gives them back: the common
// case, spared a second encoding on every logged record.
func plainFacts(facts map[string]any) bool {
	for _, v := range facts {
		switch v := v.(type) {
		case nil, bool, float64:
		case string:
			if !utf8.ValidString(v) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// listEntryEntry returns a list entry's canonical bytes, its removal left
// out (a removal is an entry of its own).
func listEntryEntry(e *tally.ListEntry) (loggedEntry, error) {
	return canon(LogListEntry, idRef(e.ID), struct {
		Kind         LogKind `json:"kind"`
		ID           int64   `json:"id"`
		List         string  `json:"list"`
		SubjectID    int64   `json:"subject_id"`
		Lookup       []byte  `json:"lookup"`
		Name         string  `json:"name"`
		Masked       string  `json:"masked"`
		CaseNumber   string  `json:"case_number"`
		Court        string  `json:"court"`
		DecidedOn    string  `json:"decided_on"`
		NoticeServed string  `json:"notice_served"`
		Grounds      string  `json:"grounds"`
		Basis        string  `json:"basis"`
		Term         string  `json:"term"`
		Aggravation  int     `json:"aggravation"`
		Ends         string  `json:"ends"`
		RecordedAt   string  `json:"recorded_at"`
		RecordedBy   string  `json:"recorded_by"`
	}{LogListEntry, e.ID, e.List, e.SubjectID, nonNil(e.Lookup), e.Name, e.Masked, e.CaseNumber, e.Court, logTime(e.DecidedOn),
		logTime(e.NoticeServed), e.Grounds, e.Basis, e.Term.String(), e.Aggravation, logTime(e.Ends), logTime(e.RecordedAt), e.RecordedBy})
}

// removalEntry returns a removal's canonical bytes.
func removalEntry(r *tally.ListRemoval) (loggedEntry, error) {
	return canon(LogRemoval, idRef(r.ID), struct {
		Kind       LogKind `json:"kind"`
		ID         int64   `json:"id"`
		EntryID    int64   `json:"entry_id"`
		Reason     string  `json:"reason"`
		On         string  `json:"on"`
		Note       string  `json:"note"`
		RecordedAt string  `json:"recorded_at"`
		RecordedBy string  `json:"recorded_by"`
	}{LogRemoval, r.ID, r.EntryID, string(r.Reason), logTime(r.On), r.Note, logTime(r.RecordedAt), r.RecordedBy})
}

// objectionDecisionEntry returns an objection decision's canonical bytes.
func objectionDecisionEntry(d *tally.ObjectionDecision) (loggedEntry, error) {
	return canon(LogObjectionDecision, idRef(d.ObjectionID), struct {
		Kind        LogKind `json:"kind"`
		ObjectionID int64   `json:"objection_id"`
		Outcome     string  `json:"outcome"`
		Reasons     string  `json:"reasons"`
		At          string  `json:"at"`
		By          string  `json:"by"`
		Record      int64   `json:"record"`
		Reversal    int64   `json:"reversal"`
		Correction  int64   `json:"correction"`
		Removal     int64   `json:"removal"`
	}{LogObjectionDecision, d.ObjectionID, string(d.Outcome), d.Reasons, logTime(d.At), d.By, d.Record, d.Reversal, d.Correction, d.Removal})
}

// repairDecisionEntry returns a repair decision's canonical bytes.
func repairDecisionEntry(d *tally.RepairDecision) (loggedEntry, error) {
	return canon(LogRepairDecision, idRef(d.RepairID), struct {
		Kind     LogKind `json:"kind"`
		RepairID int64   `json:"repair_id"`
		RecordID int64   `json:"record_id"`
		Approved bool    `json:"approved"`
		Reasons  string  `json:"reasons"`
		At       string  `json:"at"`
		By       string  `json:"by"`
	}{LogRepairDecision, d.RepairID, d.RecordID, d.Approved, d.Reasons, logTime(d.At), d.By})
}

// rulebookEntry returns a rulebook version's canonical bytes.
func rulebookEntry(v *tally.RulebookVersion) (loggedEntry, error) {
	return canon(LogRulebook, v.Scheme+"/"+strconv.Itoa(v.Version), struct {
		Kind        LogKind `json:"kind"`
		Scheme      string  `json:"scheme"`
		Version     int     `json:"version"`
		Effective   string  `json:"effective"`
		PublishedAt string  `json:"published_at"`
		PublishedBy string  `json:"published_by"`
		Digest      string  `json:"digest"`
		Source      []byte  `json:"source"`
	}{LogRulebook, v.Scheme, v.Version, logTime(v.Effective), logTime(v.PublishedAt), v.PublishedBy, v.Digest, nonNil(v.Source)})
}

// catalogueEntry returns a catalogue version's canonical bytes.
func catalogueEntry(c *tally.CatalogueVersion) (loggedEntry, error) {
	return canon(LogCatalogue, strconv.Itoa(c.Version), struct {
		Kind        LogKind `json:"kind"`
		Version     int     `json:"version"`
		PublishedAt string  `json:"published_at"`
		PublishedBy string  `json:"published_by"`
		Digest      string  `json:"digest"`
		Source      []byte  `json:"source"`
	}{LogCatalogue, c.Version, logTime(c.PublishedAt), c.PublishedBy, c.Digest, nonNil(c.Source)})
}

// agreementEntry returns an agreement version's canonical bytes.
func agreementEntry(a *tally.Agreement) (loggedEntry, error) {
	return canon(LogAgreement, a.ID+"/"+strconv.Itoa(a.Version), struct {
		Kind        LogKind    `json:"kind"`
		ID          string     `json:"id"`
		Version     int        `json:"version"`
		Issuer      string     `json:"issuer"`
		Receiver    string     `json:"receiver"`
		Lists       []string   `json:"lists"`
		Rules       []string   `json:"rules"`
		Purpose     tally.Text `json:"purpose"`
		Basis       tally.Text `json:"basis"`
		PublishedAt string     `json:"published_at"`
		PublishedBy string     `json:"published_by"`
		Digest      string     `json:"digest"`
		Source      []byte     `json:"source"`
	}{LogAgreement, a.ID, a.Version, a.Issuer, a.Receiver, nonNil(a.Lists), nonNil(a.Rules), a.Purpose, a.Basis, logTime(a.PublishedAt), a.PublishedBy, a.Digest, nonNil(a.Source)})
}

// subjectLogEntry returns a subject's canonical bytes: its identity as
// stored, the keyed hash of its identifier (lookup) and the identifier
// sealed, never the identifier itself.
func subjectLogEntry(s *tally.Subject) (loggedEntry, error) {
	return canon(LogSubject, idRef(s.ID), struct {
		Kind        LogKind `json:"kind"`
		ID          int64   `json:"id"`
		SubjectKind string  `json:"subject_kind"`
		Name        string  `json:"name"`
		Masked      string  `json:"masked"`
		Lookup      []byte  `json:"lookup"`
		Sealed      []byte  `json:"sealed"`
		AdultOn     string  `json:"adult_on"`
		Created     string  `json:"created"`
	}{LogSubject, s.ID, string(s.Kind), s.Name, s.Masked, nonNil(s.Lookup), nonNil(s.Sealed), logTime(s.AdultOn), logTime(s.Created)})
}

// nonNil returns s, or an empty slice for nil: the store gives back an
// empty slice for both.
func nonNil[S ~[]E, E any](s S) S {
	if s == nil {
		return S{}
	}
	return s
}
