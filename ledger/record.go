package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// Conduct is the input of Record: what a subject did, under which rule,
// with the facts the rule declares.
type Conduct struct {
	Scheme     string
	Identifier string
	Rule       string
	Facts      map[string]any // typed values; or FactArgs
	FactArgs   []string       // "name=value" strings, typed by the rule's declarations
	At         time.Time      // when it happened
	Ref        string         // source reference, unique in the scheme: the idempotency key
	Evidence   string
	By         string // who noted it; default the actor. Only an admin may name another.

	// decided marks the corrected record of an objection decision: the
	// reviewer who decides may record it without a recorder's scope, and
	// it needs no second person, being one.
	decided bool
}

// Recorded is the outcome of Record.
type Recorded struct {
	Record   tally.Record
	Subject  SubjectView
	Rule     *rulebook.Rule
	Replayed bool // the same Ref and content were recorded before; nothing was written
	DryRun   bool // nothing was written
	// Pending says why the record waits for a second person before it
	// counts ("" when it counts at once).
	Pending string
}

// Record appends a record: it checks the input, scores it by the rule of
// the version in force when the conduct happened, applies the rule's cap,
// and stores it in one transaction. A Ref recorded before with the same
// content returns the original record; with other content it is a conflict.
func (s *Service) Record(ctx context.Context, c Conduct) (*Recorded, error) {
	var out *Recorded
	err := s.store.Update(ctx, func(tx Tx) error {
		var err error
		if out, err = s.record(ctx, tx, c, false, nil); err != nil || out.Replayed {
			return err
		}
		return s.logAccess(ctx, tx, out.Record.SubjectID, c.Scheme, "record", recordDetail("recorded", &out.Record))
	})
	return out, err
}

// recordDetail describes a written record for the access log: code is
// "recorded" or "imported".
func recordDetail(code string, r *tally.Record) string {
	return accessDetail(code, itoa(r.ID), r.Rule, signed(r.Awarded))
}

// DryRun does what Record does, including the cap, but writes nothing: it
// shows a recorder the points a record would give.
func (s *Service) DryRun(ctx context.Context, c Conduct) (*Recorded, error) {
	var out *Recorded
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = s.record(ctx, tx, c, true, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, s.logRead(ctx, out.Record.SubjectID, c.Scheme, "dry-run", accessDetail("dry-run", c.Rule, signed(out.Record.Awarded)))
}

// recordTx is what recording one conduct touches: its subject, enrolment
// and rulebook, the records its ref and cap compare with, the evidence it
// cites, the record itself and the hold and notice that follow it.
type recordTx interface {
	outboxTx
	Enrolments
	RecordReads
	Scores
	Evidence
	Records
	Holds
	Notices
}

// record checks and scores one conduct. With a batch, it leaves the
// record in the batch for the caller to write and expects the subject to
// be locked already; otherwise it locks the subject and writes the record,
// unless dry.
func (s *Service) record(ctx context.Context, tx recordTx, c Conduct, dry bool, b *batch) (*Recorded, error) {
	a := ActorOf(ctx)
	if c.By == "" {
		c.By = a.Name
	}
	if err := checkConduct(c, s.now()); err != nil {
		return nil, err
	}
	if !c.decided { // a decision's correction was authorized as the decision
		if err := mayWriteIn(a, c.Scheme); err != nil {
			return nil, err
		}
	}
	if c.By != a.Name {
		if err := authorize(a, OpRecordFor, Target{Scheme: c.Scheme}); err != nil {
			return nil, err
		}
	}
	vs, err := s.cachedVersions(ctx, tx, c.Scheme, b)
	if err != nil {
		return nil, err
	}
	v, err := inForce(vs, c.At)
	if err != nil {
		return nil, err
	}
	rule, ok := v.Book.Rule(c.Rule)
	if !ok {
		return nil, tally.Errorf(tally.ENotFound, "no rule %q in scheme %s version %d (in force on %s)", c.Rule, c.Scheme, v.Version, day(c.At.In(v.Book.Location)))
	}
	if err := mayRecord(a, c.Scheme, rule); err != nil && !c.decided {
		return nil, err
	}
	facts := c.Facts
	if facts == nil {
		if facts, err = rule.ParseFacts(c.FactArgs); err != nil {
			return nil, err
		}
	}
	requested, facts, err := rule.Evaluate(facts)
	if err != nil {
		return nil, err
	}
	if err := checkFacts(facts); err != nil {
		return nil, err
	}
	if rule.EvidenceRequired && strings.TrimSpace(c.Evidence) == "" {
		return nil, tally.FieldErrorf("evidence", "rule %s requires evidence: say what document or decision shows it", rule.Code)
	}
	subj, err := s.cachedSubject(ctx, tx, c.Identifier, b)
	if err != nil {
		return nil, err
	}
	if !v.Book.Accepts(subj.Kind) {
		return nil, tally.FieldErrorf("subject", "scheme %s does not score a %s", c.Scheme, subj.Kind)
	}
	if err := s.checkEnrolled(ctx, tx, c.Scheme, subj, b); err != nil {
		return nil, err
	}
	if !dry && b == nil {
		if err := tx.LockSubject(ctx, c.Scheme, subj.ID); err != nil {
			return nil, err
		}
	}
	r := tally.Record{
		Scheme: c.Scheme, Version: v.Version, SubjectID: subj.ID, Rule: rule.Code, Facts: facts,
		HappenedAt: c.At, RecordedAt: s.now(), RecordedBy: c.By, Ref: c.Ref, Evidence: c.Evidence,
		Requested: requested,
	}
	r.Digest = digest(&r)
	out := &Recorded{Subject: viewOf(subj), Rule: rule, DryRun: dry}
	if prev, err := s.recordByRef(ctx, tx, c.Scheme, c.Ref, b); err == nil {
		if prev.Digest != r.Digest {
			return nil, tally.Errorf(tally.EConflict, "ref %q was already used in scheme %s for a different record (#%d)", c.Ref, c.Scheme, prev.ID)
		}
		out.Record, out.Replayed = *prev, true
		return out, nil
	} else if tally.ErrorCodeOf(err) != tally.ENotFound {
		return nil, err
	}
	file, err := s.evidenceFor(ctx, tx, c, b)
	if err != nil {
		return nil, err
	}
	if r.Awarded, r.Reason, err = s.applyCap(ctx, tx, &r, rule, v.Book.Location, b); err != nil {
		return nil, err
	}
	if !rule.Lasts.IsZero() {
		r.ExpiresAt = rule.Lasts.After(c.At.In(v.Book.Location))
	}
	if !c.decided {
		out.Pending = holdReason(dueOf(v.Book), rule, &r)
	}
	switch {
	case dry:
	case b != nil:
		b.add(&r)
		b.notes = append(b.notes, note{&r, rule, out.Pending, vs[len(vs)-1].Book})
	default:
		if err := tx.InsertRecord(ctx, &r); err != nil {
			return nil, writeError{err}
		}
		if err := s.bindEvidence(ctx, tx, file, &r); err != nil {
			return nil, err
		}
		if err := s.afterInsert(ctx, tx, note{&r, rule, out.Pending, vs[len(vs)-1].Book}); err != nil {
			return nil, err
		}
		o, err := s.outbox(ctx, tx)
		if err != nil {
			return nil, err
		}
		if err := o.record(ctx, tx, &r, rule); err != nil {
			return nil, err
		}
	}
	out.Record = r
	return out, nil
}

// note is what must follow a record's insert: its hold, if it waits for a
// second person, and the notice to its subject.
type note struct {
	r    *tally.Record
	rule *rulebook.Rule
	held string
	book *rulebook.Book // the scheme's current book: its zone and clocks
}

// noteTx is what a record's insert is followed by: its hold and its notice.
type noteTx interface {
	Holds
	Notices
}

// afterInsert holds the record if it must wait and queues its notice.
func (s *Service) afterInsert(ctx context.Context, tx noteTx, n note) error {
	if n.held != "" {
		if err := s.hold(ctx, tx, n.r, n.held); err != nil {
			return writeError{err}
		}
	}
	if err := tx.InsertNotice(ctx, recordNotice(n.r, n.rule, n.held, n.book, s.now())); err != nil {
		return writeError{err}
	}
	return nil
}

// recordByRef finds a record by ref among the batch's pending records and
// then in the store.
func (s *Service) recordByRef(ctx context.Context, tx RecordReads, scheme, ref string, b *batch) (*tally.Record, error) {
	if b != nil {
		if r, ok := b.byRef[[2]string{scheme, ref}]; ok {
			return r, nil
		}
		if b.refsRead {
			return nil, tally.Errorf(tally.ENotFound, "no record with ref %q in scheme %s", ref, scheme)
		}
	}
	return tx.RecordByRef(ctx, scheme, ref)
}

func checkConduct(c Conduct, now time.Time) error {
	switch {
	case c.Scheme == "":
		return tally.FieldErrorf("scheme", "name the scheme")
	case c.Identifier == "":
		return tally.FieldErrorf("subject", "name the subject by identifier")
	case c.Rule == "":
		return tally.FieldErrorf("rule", "name the rule")
	case strings.TrimSpace(c.Ref) == "":
		return tally.FieldErrorf("ref", "give a source reference (e.g. recorder-7/2026-03-02/1): it makes recording the same thing twice harmless")
	case c.By == "":
		return tally.FieldErrorf("by", "say who records it")
	case c.At.IsZero():
		return tally.FieldErrorf("at", "say when the conduct happened")
	case c.At.After(now):
		return tally.FieldErrorf("at", "%s is in the future", c.At.Format(time.RFC3339))
	}
	return checkConductText(c)
}

// applyCap bounds the points so that the rule's total for the subject in
// the cap's calendar window stays within the cap, and says why.
func (s *Service) applyCap(ctx context.Context, tx Scores, r *tally.Record, rule *rulebook.Rule, loc *time.Location, b *batch) (int64, string, error) {
	if rule.Cap == nil {
		return r.Requested, RecordReason{Code: ReasonAsRule, Points: r.Requested}.String(), nil
	}
	from, to := rule.Cap.Per.Window(r.HappenedAt.In(loc))
	var used int64
	if b != nil {
		used = b.sum(r.Scheme, r.SubjectID, r.Rule, from, to)
	}
	if stored, ok := b.storedSum(r.Scheme, r.SubjectID, r.Rule, from, to); ok {
		used += stored
	} else {
		n, err := tx.SumAwarded(ctx, r.Scheme, r.SubjectID, r.Rule, from, to)
		if err != nil {
			return 0, "", err
		}
		used += n
	}
	sign := int64(1)
	if r.Requested < 0 || rule.Effect == rulebook.Deduction {
		sign = -1
	}
	room := max(rule.Cap.Points-sign*used, 0)
	awarded := min(sign*r.Requested, room) * sign
	total := sign * (used + awarded)
	why := RecordReason{Code: ReasonCapped, Points: r.Requested, Total: total, Cap: rule.Cap.Points, Per: rule.Cap.Per.String()}
	if awarded == r.Requested {
		why.Code = ReasonAsRuleCapped
	}
	return awarded, why.String(), nil
}

// digest hashes what makes two records the same record.
func digest(r *tally.Record) string {
	why := ""
	if r.IsReversal() {
		why = r.Reason
	}
	content, _ := json.Marshal(struct {
		Scheme   string         `json:"scheme"`
		Subject  int64          `json:"subject"`
		Rule     string         `json:"rule"`
		Facts    map[string]any `json:"facts"`
		At       int64          `json:"at"`
		By       string         `json:"by"`
		Evidence string         `json:"evidence"`
		Reverses int64          `json:"reverses"`
		Why      string         `json:"why"` // a reversal's reason
	}{r.Scheme, r.SubjectID, r.Rule, r.Facts, r.HappenedAt.UnixMicro(), r.RecordedBy, r.Evidence, r.Reverses, why})
	sum := sha256.Sum256(content)
	return hex.EncodeToString(sum[:])
}

// writeError marks a failure of the store's write, after every check
// passed: in a batch it spoils the transaction, not just the row.
type writeError struct{ err error }

func (e writeError) Error() string { return e.err.Error() }
func (e writeError) Unwrap() error { return e.err }
