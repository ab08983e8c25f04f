package ledger

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
)

// Notices tell a subject, in both languages, what was decided about them,
// why, its effect, and how to object: a record took effect (or waits for a
// second person), a list entry was made, a check was denied, an objection
// was decided. They are written to the outbox in the transaction of the
// change, and delivered later by DeliverNotices through a Sender.

// noticeTx is what queuing a record's notice reads and writes.
type noticeTx interface {
	Rulebooks
	Notices
}

// noticeRecord queues the notice of a record. held is the reason it waits
// for a second person ("" when it counts from now).
func (s *Service) noticeRecord(ctx context.Context, tx noticeTx, r *tally.Record, held string) error {
	vs, err := s.versions(ctx, tx, r.Scheme)
	if err != nil {
		return err
	}
	var rule *rulebook.Rule
	if r.Version >= 1 && r.Version <= len(vs) {
		rule, _ = vs[r.Version-1].Book.Rule(r.Rule)
	}
	return tx.InsertNotice(ctx, recordNotice(r, rule, held, vs[len(vs)-1].Book, s.now()))
}

// noticeText is a notice's title or body being written: in Chinese, then
// in English, each from the message catalogue.
type noticeText struct{ zh, en strings.Builder }

// line adds the catalogue's line key, said with args, in both languages.
func (n *noticeText) line(key string, args ...any) {
	t := message(key, args...)
	n.zh.WriteString(t.Zh + "\n")
	n.en.WriteString(t.En + "\n")
}

// body is the Chinese, a blank line, then the English: the order a
// mailed notice is read in.
func (n *noticeText) body() string { return n.zh.String() + "\n" + n.en.String() }

// noticeTitle is a title in Chinese, then English.
func noticeTitle(key string, args ...any) string {
	t := message(key, args...)
	return t.Zh + " / " + t.En
}

// recordNotice writes the notice of a record, its days and clocks those of
// the scheme's current rulebook book; it does no I/O.
func recordNotice(r *tally.Record, rule *rulebook.Rule, held string, book *rulebook.Book, now time.Time) *tally.Notice {
	loc := book.Location
	title, basis, evidence := tally.Text{Zh: r.Rule, En: r.Rule}, message("notice.none"), message("notice.no_evidence")
	if rule != nil {
		title = rule.Title
		if rule.Basis != (tally.Text{}) {
			basis = rule.Basis
		}
	}
	if r.Evidence != "" {
		evidence = tally.Text{Zh: r.Evidence, En: r.Evidence}
	}
	points := fmt.Sprintf("%+d", r.Awarded)
	var b noticeText
	b.line("notice.record.what", r.ID, r.Scheme, title, points, localtime.Date(r.HappenedAt, loc), r.RecordedBy)
	b.line("notice.record.why", r.Rule, basis, evidence, RecordReasonText(r.Reason))
	switch {
	case held != "":
		b.line("notice.record.held", HoldReasonText(held))
	case r.ExpiresAt.IsZero():
		b.line("notice.record.counts_from", localtime.Date(r.HappenedAt, loc))
	default:
		b.line("notice.record.counts_until", localtime.Date(r.HappenedAt, loc), localtime.Date(r.ExpiresAt, loc))
	}
	objectHow(&b, "record", r.ID, r.ExpiresAt, dueOf(book), loc)
	if r.Awarded < 0 && rule != nil {
		repairHow(&b, r, rule.Severity, loc)
	}
	return &tally.Notice{SubjectID: r.SubjectID, Scheme: r.Scheme, Kind: tally.NoticeRecord, About: r.ID,
		Title: noticeTitle("notice.record.title", r.ID, title, points),
		Body:  b.body(), ObjectBy: r.ExpiresAt, CreatedAt: now}
}

// objectHow says how to object to a record or an entry (what), by when
// (zero: while it counts), and the scheme's clocks for the answer.
func objectHow(b *noticeText, what string, id int64, by time.Time, dp tally.DueProcess, loc *time.Location) {
	ack, decide := clockText(dp.Acknowledge), clockText(dp.Decide)
	if by.IsZero() {
		b.line("notice.object_while", what, id, ack, decide)
		return
	}
	b.line("notice.object_by", what, id, lastDay(by, loc), ack, decide)
}

// lastDay is the local day of the last instant before a deadline: the
// day before a deadline at midnight, the same day for one at the end of
// its day.
func lastDay(deadline time.Time, loc *time.Location) string {
	return localtime.Date(deadline.Add(-time.Nanosecond), loc)
}

// clockText says a due-process clock in both languages: "5个工作日",
// "5 working days", "15日", "1 day".
func clockText(c tally.Clock) tally.Text {
	key := "notice.clock.days"
	if c.Working {
		key = "notice.clock.working_days"
	}
	if c.Days == 1 {
		key += "_one"
	}
	return message(key, c.Days)
}

// repairHow says from when and how a deduction may be repaired (信用修复):
// from its class minimum, once the obligations are met.
func repairHow(b *noticeText, r *tally.Record, s tally.Severity, loc *time.Location) {
	from, least := repairFrom(s, r.HappenedAt, loc)
	class := tally.Text{Zh: s.Zh(), En: string(s)}
	when := message("notice.repair_at_once", class)
	if !least.IsZero() {
		when = message("notice.repair_after", class, tally.Text{Zh: least.Zh(), En: least.String()})
	}
	b.line("notice.repair_how", localtime.Date(from, loc), when, r.Scheme, r.ID)
}

// entryNotice writes the notice of a list entry, its days in the
// catalogue's zone loc and its clocks dp; it does no I/O.
func entryNotice(e *tally.ListEntry, dp tally.DueProcess, loc *time.Location, now time.Time) *tally.Notice {
	var b noticeText
	b.line("notice.entry.what", e.ID, e.List, e.CaseNumber, e.Court)
	b.line("notice.entry.why", e.Grounds, e.Basis)
	b.line("notice.entry.effect", localtime.Date(e.NoticeServed, loc), localtime.Date(e.Ends, loc))
	objectHow(&b, "entry", e.ID, e.Ends, dp, loc)
	return &tally.Notice{SubjectID: e.SubjectID, Kind: tally.NoticeEntry, About: e.ID,
		Title: noticeTitle("notice.entry.title", e.ID, e.List, e.CaseNumber),
		Body:  b.body(), ObjectBy: e.Ends, CreatedAt: now}
}

// objectionNotice writes the notice of a decided objection, its days in
// the scheme's zone loc; appealBy is the end of the appeal window.
func objectionNotice(o *tally.Objection, d *tally.ObjectionDecision, appealBy time.Time, dp tally.DueProcess, loc *time.Location, now time.Time) *tally.Notice {
	outcome, target := message("access.word."+string(d.Outcome)), message("access.word."+string(o.Target))
	var b noticeText
	b.line("notice.objection.what", o.ID, target, o.TargetID, outcome, d.By, localtime.Date(d.At, loc))
	b.line("notice.objection.why", d.Reasons)
	n := &tally.Notice{SubjectID: o.SubjectID, Scheme: o.Scheme, Kind: tally.NoticeObjection, About: o.ID,
		Title: noticeTitle("notice.objection.title", o.ID, outcome), CreatedAt: now}
	if o.AppealOf == 0 {
		n.ObjectBy = appealBy
		b.line("notice.objection.appeal", lastDay(appealBy, loc), o.ID, clockText(dp.AppealDecide))
	}
	n.Body = b.body()
	return n
}

// denialNotice writes the notice of a check denied because of a list
// entry, its day in the catalogue's zone loc and its clocks dp.
func denialNotice(subjectID int64, measure string, entry int64, ref string, dp tally.DueProcess, loc *time.Location, now time.Time) *tally.Notice {
	var b noticeText
	b.line("notice.denial.what", measure, localtime.Date(now, loc))
	b.line("notice.denial.why", entry, ref)
	b.line("notice.denial.object", entry, clockText(dp.Acknowledge), clockText(dp.Decide))
	return &tally.Notice{SubjectID: subjectID, Kind: tally.NoticeDenial, Title: noticeTitle("notice.denial.title", measure), Body: b.body(), CreatedAt: now}
}

// Sender delivers one notice to an address. Implementations: LogSender
// (the default: writes the notice to a log) and notify.SMTP.
type Sender interface {
	// Name names the sender in delivery attempts ("log", "smtp").
	Name() string
	// Send delivers n to address (empty when the subject left none: a
	// sender that needs one returns an error).
	Send(ctx context.Context, n *tally.Notice, address string) error
}

// MaxAttempts is how many times DeliverNotices tries one notice.
const MaxAttempts = 5

// Delivery is the outcome of DeliverNotices.
type Delivery struct {
	Delivered int `json:"delivered"`
	Failed    int `json:"failed"`  // attempts that failed and will be retried
	GaveUp    int `json:"gave_up"` // notices that reached MaxAttempts
}

// DeliverNotices sends up to limit undelivered notices through sender,
// each attempt written to the outbox; a notice that failed MaxAttempts
// times is left for an operator (Notices shows it). Admins only. Each
// attempt is its own transaction, so a slow sender holds no lock.
func (s *Service) DeliverNotices(ctx context.Context, sender Sender, limit int) (*Delivery, error) {
	if err := authorize(ActorOf(ctx), OpDeliverNotices, Target{}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var queue []tally.Notice
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		queue, err = tx.Notices(ctx, DueFilter{Open: true, Limit: limit})
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &Delivery{}
	for i := range queue {
		n := &queue[i]
		if len(n.Attempts) >= MaxAttempts {
			out.GaveUp++
			continue
		}
		address, err := s.contactOf(ctx, n.SubjectID)
		if err != nil {
			return out, err
		}
		at := &tally.NoticeAttempt{NoticeID: n.ID, At: s.now(), Sender: sender.Name()}
		if err := sender.Send(ctx, n, address); err != nil {
			at.Error = err.Error()
			out.Failed++
		} else {
			at.Delivered = true
			out.Delivered++
		}
		if err := s.store.Update(ctx, func(tx Tx) error { return tx.InsertNoticeAttempt(ctx, at) }); err != nil {
			return out, err
		}
	}
	return out, nil
}

// contactOf opens a subject's contact address, "" when there is none.
func (s *Service) contactOf(ctx context.Context, subjectID int64) (string, error) {
	var c *tally.Contact
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		c, err = tx.Contact(ctx, subjectID)
		return err
	})
	if tally.ErrorCodeOf(err) == tally.ENotFound || (err == nil && len(c.Sealed) == 0) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return s.vault.Open(c.Sealed)
}

// SetContact stores the address notices go to, sealed with the identity
// key so that the database alone does not reveal it; an empty address
// removes it. The subject itself, or those who may enrol subjects. Logged.
func (s *Service) SetContact(ctx context.Context, identifier, email string) error {
	a := ActorOf(ctx)
	if err := authorize(a, OpSetContact, s.target("", identifier)); err != nil {
		return err
	}
	email = strings.TrimSpace(email)
	var sealed []byte
	masked := ""
	if email != "" {
		addr, err := mail.ParseAddress(email)
		if err != nil || addr.Name != "" || addr.Address != email {
			return tally.FieldErrorf("email", "%q is not an e-mail address such as name@example.cn", email)
		}
		sealed, masked = s.vault.Seal(email), maskEmail(email)
	}
	return s.store.Update(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		c := &tally.Contact{SubjectID: subj.ID, Sealed: sealed, Masked: masked, At: s.now(), By: a.Name}
		if err := tx.InsertContact(ctx, c); err != nil {
			return err
		}
		detail := accessDetail("contact-removed")
		if masked != "" {
			detail = accessDetail("contact-set", masked)
		}
		return s.logAccess(ctx, tx, subj.ID, "", "contact", detail)
	})
}

// maskEmail keeps the first character and the domain: l***@example.cn.
func maskEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 1 {
		return "***"
	}
	return email[:1] + "***" + email[at:]
}

// OutboxQuery selects notices for Outbox.
type OutboxQuery struct {
	Identifier string // one subject's; "" for all (admins)
	Open       bool   // only those not delivered
	After      int64
	Limit      int
}

// Outbox lists notices with their delivery attempts: admins any; a
// subject its own.
func (s *Service) Outbox(ctx context.Context, q OutboxQuery) ([]tally.Notice, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReadNotices, Target{Lookup: a.Lookup}); err != nil {
		return nil, err
	}
	f := DueFilter{Open: q.Open, After: q.After, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	var out []tally.Notice
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if f.SubjectID, err = s.askedSubject(ctx, tx, a, q.Identifier); err != nil {
			return err
		}
		out, err = tx.Notices(ctx, f)
		return err
	})
	return out, err
}
