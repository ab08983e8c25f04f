package ledger

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
)

// Report is what a credit report shows about one subject at one instant:
// the masked identity, the score with its published records (never a
// deduction kept in the office) in every scheme the
// subject is enrolled in, the court-list entries in effect, objections,
// and the purpose it was issued for. The ledger produces it; package
// report prints and signs it.
type Report struct {
	Code     string          `json:"code"`
	Subject  string          `json:"subject"` // masked
	Name     string          `json:"name"`
	Kind     string          `json:"kind"`
	Purpose  string          `json:"purpose"`
	Lang     string          `json:"lang"`
	IssuedAt time.Time       `json:"issued_at"` // in the zone its dates are shown in: its first scheme's, or Beijing time
	IssuedBy string          `json:"issued_by"`
	Schemes  []ReportScheme  `json:"schemes"`
	Lists    []ReportListing `json:"lists"`
	// Objections lists the subject's objections and appeals, with their
	// outcome ("open" while undecided).
	Objections []ReportObjection `json:"objections"`
	// Special is the scope of a special credit report: then each scheme's
	// InEffect holds every record of the chosen areas in the period, in
	// effect or not (repaired ones carry RepairedAt), and Lists the list
	// entries in force at some time in it. Nil for a full report.
	Special *tally.ReportScope `json:"special,omitempty"`
	// Log proves that the entries listed were in the public log (see
	// ReportLog); nil when the instance signs no checkpoints.
	Log *ReportLog `json:"log,omitempty"`
}

// ReportScheme is a subject's standing in one scheme.
type ReportScheme struct {
	Scheme   string      `json:"scheme"`
	Name     tally.Text  `json:"name"`
	Score    tally.Score `json:"score"`
	InEffect []Entry     `json:"in_effect"`
}

// ReportListing is a court-list entry in effect when the report was issued.
type ReportListing struct {
	ID         int64     `json:"id"`
	List       string    `json:"list"`
	CaseNumber string    `json:"case_number"`
	Court      string    `json:"court"`
	Basis      string    `json:"basis"`
	Since      time.Time `json:"since"`
	Until      time.Time `json:"until"`
	Disputed   bool      `json:"disputed,omitempty"` // an objection to it is filed and not yet decided (有异议)
}

// ReportObjection is an objection and its outcome. Record is the record
// or list entry objected to (0 for a score).
type ReportObjection struct {
	Record  int64  `json:"record"`
	Filed   string `json:"filed"`
	Outcome string `json:"outcome"`
}

// Finish turns a report into the document handed out (a signed PDF). It
// runs inside the issuing transaction: if it fails, nothing is issued.
type Finish func(*Report) (document []byte, digest string, err error)

// mayReport: issuing a subject's credit report. Admins (the desk at city
// hall, with a stated purpose) and the subject itself (the kiosk, its own
// page) may; nobody else: a bank gets the paper from the person, not from
// tally.
func (s *Service) mayReport(a *tally.Actor, identifier string) error {
	return authorize(a, OpIssueReport, s.target("", identifier))
}

// IssueReport builds a subject's credit report as of now, passes it to
// finish, and records the issue (code, purpose, the digest finish gives,
// the content) and an access-log entry, all in one transaction. It
// returns the issue and the document.
func (s *Service) IssueReport(ctx context.Context, identifier, purpose, lang string, finish Finish) (*tally.IssuedReport, []byte, error) {
	if err := s.mayReport(ActorOf(ctx), identifier); err != nil {
		return nil, nil, err
	}
	build := func(tx Tx, purpose string) (*Report, *tally.Subject, error) {
		return s.report(ctx, tx, identifier, purpose, lang)
	}
	return s.issue(ctx, purpose, lang, build, "report", func(r *Report) string { return accessDetail("report-issued", r.Code) }, finish)
}

// issue checks a report's purpose and language, then in one transaction
// builds it, passes it to finish, records the issue and an access-log
// entry (action, with detail's text).
func (s *Service) issue(ctx context.Context, purpose, lang string, build func(Tx, string) (*Report, *tally.Subject, error),
	action string, detail func(*Report) string, finish Finish) (*tally.IssuedReport, []byte, error) {
	purpose = strings.TrimSpace(purpose)
	switch {
	case purpose == "":
		return nil, nil, tally.FieldErrorf("purpose", "say what the report is for, e.g. \"home loan\"")
	case utf8.RuneCountInString(purpose) > MaxPurpose:
		return nil, nil, tally.FieldErrorf("purpose", "at most %d characters", MaxPurpose)
	}
	if err := tally.CheckText("purpose", purpose, tally.Limits.Purpose, false); err != nil {
		return nil, nil, err
	}
	if lang != "zh" && lang != "en" {
		return nil, nil, tally.FieldErrorf("lang", "%q: want zh or en", lang)
	}
	var (
		issued *tally.IssuedReport
		doc    []byte
	)
	if err := s.logCheckpointFirst(ctx); err != nil {
		return nil, nil, err
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		rep, subj, err := build(tx, purpose)
		if err != nil {
			return err
		}
		if rep.Log, err = s.reportLog(ctx, tx, rep, subj.ID); err != nil {
			return err
		}
		content, err := json.Marshal(rep)
		if err != nil {
			return fmt.Errorf("report content: %w", err)
		}
		var digest string
		if doc, digest, err = finish(rep); err != nil {
			return fmt.Errorf("print report: %w", err)
		}
		issued = &tally.IssuedReport{Code: rep.Code, SubjectID: subj.ID, Masked: subj.Masked, Name: subj.Name,
			Purpose: purpose, Lang: lang, IssuedAt: rep.IssuedAt, IssuedBy: ActorOf(ctx).Name, Digest: digest, Content: content,
			Special: rep.Special}
		if err := tx.InsertReport(ctx, issued); err != nil {
			return err
		}
		return s.logAccess(WithPurpose(ctx, purpose), tx, subj.ID, "", action, detail(rep))
	})
	if err != nil {
		return nil, nil, err
	}
	return issued, doc, nil
}

// reportTx is what a credit report reads: the subject, its enrolments and
// their rulebooks, the records in effect, list entries and objections.
type reportTx interface {
	Subjects
	Enrolments
	Rulebooks
	Scores
	ListEntries
	Objections
}

// report gathers a report's content in tx.
func (s *Service) report(ctx context.Context, tx reportTx, identifier, purpose, lang string) (*Report, *tally.Subject, error) {
	subj, err := s.subject(ctx, tx, identifier)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	rep := &Report{Code: NewReportCode(), Subject: subj.Masked, Name: subj.Name, Kind: string(subj.Kind),
		Purpose: purpose, Lang: lang, IssuedAt: now, IssuedBy: ActorOf(ctx).Name,
		Schemes: []ReportScheme{}, Lists: []ReportListing{}, Objections: []ReportObjection{}}
	enrolments, err := tx.EnrolmentsOf(ctx, subj.ID)
	if err != nil {
		return nil, nil, err
	}
	for i := range enrolments {
		e := &enrolments[i]
		vs, err := s.versions(ctx, tx, e.Scheme)
		if err != nil {
			return nil, nil, err
		}
		records, err := tx.InEffect(ctx, e.Scheme, subj.ID, now)
		if err != nil {
			return nil, nil, err
		}
		ex := explain(vs, subj, e, published(vs, records), now)
		if err := markDisputed(ctx, tx, now, pointers(ex.InEffect)...); err != nil {
			return nil, nil, err
		}
		rep.Schemes = append(rep.Schemes, ReportScheme{Scheme: e.Scheme, Name: vs[len(vs)-1].Book.Name, Score: ex.Score, InEffect: ex.InEffect})
	}
	loc := localtime.Default()
	if len(enrolments) > 0 {
		loc = rep.Schemes[0].Score.AsOf.Location()
	}
	rep.IssuedAt = rep.IssuedAt.In(loc)
	entries, err := tx.ListEntriesOf(ctx, subj.ID)
	if err != nil {
		return nil, nil, err
	}
	disputed, err := disputedEntries(ctx, tx, subj.ID, now)
	if err != nil {
		return nil, nil, err
	}
	for _, le := range entries {
		if le.InEffect(now) {
			rep.Lists = append(rep.Lists, ReportListing{ID: le.ID, List: le.List, CaseNumber: le.CaseNumber, Court: le.Court,
				Basis: le.Basis, Since: le.NoticeServed.In(loc), Until: le.Until().In(loc), Disputed: disputed.Entry(le.ID)})
		}
	}
	objections, err := tx.Objections(ctx, DueFilter{SubjectID: subj.ID, Limit: MaxPage})
	if err != nil {
		return nil, nil, err
	}
	for _, o := range objections {
		outcome := "open"
		if o.Decision != nil {
			outcome = string(o.Decision.Outcome)
		}
		rep.Objections = append(rep.Objections, ReportObjection{Record: o.TargetID,
			Filed: localtime.Date(o.FiledAt, loc), Outcome: outcome})
	}
	return rep, subj, nil
}

// reportAlphabet has no letters that read like digits (no I, L, O, U).
const reportAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewReportCode returns a fresh verification code: 15 random characters
// (75 bits) in three groups, e.g. "7KQ2M-XW9PD-3HT6C", too many to guess.
func NewReportCode() string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%5 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(reportAlphabet[int(c)%len(reportAlphabet)])
	}
	return out.String()
}

// VerifyReport returns what was issued under a code, for anyone holding
// the paper, and logs the verification in the subject's access log. A
// person is named in full only to those who may issue the report (the
// subject, an admin); anyone else gets the PublicName.
// An unknown code is ENotFound.
func (s *Service) VerifyReport(ctx context.Context, code string) (*tally.IssuedReport, error) {
	if err := authorize(ActorOf(ctx), OpVerifyReportSeal, Target{}); err != nil {
		return nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	var r *tally.IssuedReport
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if r, err = tx.ReportByCode(ctx, code); err != nil {
			return err
		}
		subj, err := tx.SubjectByID(ctx, r.SubjectID)
		if err != nil {
			return err
		}
		// A report is not a publication: whoever holds only the code sees
		// no person's name, the subject and the desk see it in full.
		self := Target{lookup: func() []byte { return subj.Lookup }}
		r.Name = PublicName(subj.Kind, r.Name, Allowed(ActorOf(ctx), OpIssueReport, self))
		r.Special, err = scopeOf(r.Content)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := s.logRead(WithPurpose(ctx, "verify a credit report"), r.SubjectID, "", "report-verified",
		accessDetail("report-verified", r.Code)); err != nil {
		return nil, err
	}
	return r, nil
}

// Digest is the hex SHA-256 of a document, as reports record it.
func Digest(doc []byte) string {
	h := sha256.Sum256(doc)
	return hex.EncodeToString(h[:])
}

// reportKeyMeta names the meta entry holding the public key that verifies
// the deployment's reports.
const reportKeyMeta = "report_public_key"

// BindReportKey ties the database to a report-signing public key (64 hex
// digits) on first use and refuses another after that, so that reports
// signed with a stray key are never issued.
func (s *Service) BindReportKey(ctx context.Context, public string) error {
	return s.store.Update(ctx, func(tx Tx) error {
		got, err := tx.Meta(ctx, reportKeyMeta)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return tx.SetMeta(ctx, reportKeyMeta, public)
		}
		if err != nil {
			return err
		}
		if got != public {
			return tally.Errorf(tally.EInvalid, "the report signing key does not match this database's (public key %s…, database expects %s…): use the signing key file made with the database", public[:16], got[:16])
		}
		return nil
	})
}

// ReportPublicKey returns the public key (64 hex digits) that verifies the
// deployment's reports, or ENotFound before any was bound.
func (s *Service) ReportPublicKey(ctx context.Context) (string, error) {
	var out string
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Meta(ctx, reportKeyMeta)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return tally.Errorf(tally.ENotFound, "this database has issued no reports: it has no report signing key")
		}
		return err
	})
	return out, err
}
