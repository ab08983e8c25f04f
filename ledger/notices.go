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
	return tx.InsertNotice(ctx, recordNotice(r, rule, held, vs[len(vs)-1].Book.Location, s.now()))
}

// recordNotice writes the notice of a record; it does no I/O.
func recordNotice(r *tally.Record, rule *rulebook.Rule, held string, loc *time.Location, now time.Time) *tally.Notice {
	title := tally.Text{Zh: r.Rule, En: r.Rule}
	basis, evidence := "", r.Evidence
	if rule != nil {
		title, basis = rule.Title, rule.Basis.String()
	}
	if evidence == "" {
		evidence = "none cited / 未引用"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "What / 内容: record #%d in scheme %s: %s / %s, %+d points, happened %s, recorded by %s.\n",
		r.ID, r.Scheme, title.En, title.Zh, r.Awarded, localtime.Date(r.HappenedAt, loc), r.RecordedBy)
	fmt.Fprintf(&b, "Why / 依据: rule %s", r.Rule)
	if basis != "" {
		fmt.Fprintf(&b, "; basis / 法律依据: %s", basis)
	}
	fmt.Fprintf(&b, "; evidence / 证据: %s. %s\n", evidence, r.Reason)
	switch {
	case held != "":
		why := HoldReasonText(held)
		fmt.Fprintf(&b, "Effect / 效力: none yet: %s (%s；待第二人复核，复核前不计分).\n", why.En, why.Zh)
	case r.ExpiresAt.IsZero():
		fmt.Fprintf(&b, "Effect / 效力: counts from %s.\n", localtime.Date(r.HappenedAt, loc))
	default:
		fmt.Fprintf(&b, "Effect / 效力: counts from %s until %s.\n", localtime.Date(r.HappenedAt, loc), localtime.Date(r.ExpiresAt, loc))
	}
	b.WriteString(objectHow("record", r.ID))
	return &tally.Notice{SubjectID: r.SubjectID, Scheme: r.Scheme, Kind: tally.NoticeRecord, About: r.ID,
		Title: fmt.Sprintf("Record #%d: %s (%+d) / 记录 #%d：%s", r.ID, title.En, r.Awarded, r.ID, title.Zh),
		Body:  b.String(), ObjectBy: r.ExpiresAt, CreatedAt: now}
}

// objectHow says how to object to a record or an entry.
func objectHow(what string, id int64) string {
	return fmt.Sprintf("Object / 异议: while it counts, on your page /me or with `tally objections file --%s %d --grounds ...`; "+
		"it is acknowledged within %d working days and decided within %d days "+
		"(可在其有效期内提出异议，%d个工作日内受理，%d日内作出决定).\n",
		what, id, tally.DefaultAcknowledgeWorkingDays, tally.DefaultDecideDays, tally.DefaultAcknowledgeWorkingDays, tally.DefaultDecideDays)
}

// entryNotice writes the notice of a list entry, its days in the
// catalogue's zone loc; it does no I/O.
func entryNotice(e *tally.ListEntry, loc *time.Location, now time.Time) *tally.Notice {
	var b strings.Builder
	fmt.Fprintf(&b, "What / 内容: entry #%d on list %s, case %s, %s.\n", e.ID, e.List, e.CaseNumber, e.Court)
	fmt.Fprintf(&b, "Why / 依据: %s; basis / 法律依据: %s.\n", e.Grounds, e.Basis)
	fmt.Fprintf(&b, "Effect / 效力: from %s until %s the measures linked to the list are restricted.\n",
		localtime.Date(e.NoticeServed, loc), localtime.Date(e.Ends, loc))
	b.WriteString(objectHow("entry", e.ID))
	return &tally.Notice{SubjectID: e.SubjectID, Kind: tally.NoticeEntry, About: e.ID,
		Title: fmt.Sprintf("List entry #%d: %s, case %s / 名单 #%d", e.ID, e.List, e.CaseNumber, e.ID),
		Body:  b.String(), ObjectBy: e.Ends, CreatedAt: now}
}

// objectionNotice writes the notice of a decided objection, its days in
// the scheme's zone loc; appealBy is the end of the appeal window.
func objectionNotice(o *tally.Objection, d *tally.ObjectionDecision, appealBy time.Time, dp tally.DueProcess, loc *time.Location, now time.Time) *tally.Notice {
	var b strings.Builder
	fmt.Fprintf(&b, "What / 内容: your objection #%d to %s #%d was %s by %s on %s.\n", o.ID, o.Target, o.TargetID, d.Outcome, d.By, localtime.Date(d.At, loc))
	fmt.Fprintf(&b, "Why / 理由: %s\n", d.Reasons)
	n := &tally.Notice{SubjectID: o.SubjectID, Scheme: o.Scheme, Kind: tally.NoticeObjection, About: o.ID,
		Title: fmt.Sprintf("Objection #%d %s / 异议 #%d 已决定", o.ID, d.Outcome, o.ID), CreatedAt: now}
	if o.AppealOf == 0 {
		n.ObjectBy = appealBy
		fmt.Fprintf(&b, "Appeal / 复议: by %s, with `tally objections appeal %d --grounds ...` or on /me; a different reviewer decides within %s (%s内作出决定).\n",
			localtime.Date(n.ObjectBy, loc), o.ID, dp.AppealDecide, dp.AppealDecide.Zh())
	}
	n.Body = b.String()
	return n
}

// denialNotice writes the notice of a denied eligibility check, its day
// in the catalogue's zone loc.
func denialNotice(subjectID int64, measure string, reasons []string, loc *time.Location, now time.Time) *tally.Notice {
	body := fmt.Sprintf("What / 内容: %s was denied on %s.\nWhy / 理由: %s\n", measure, localtime.Date(now, loc), strings.Join(reasons, "; "))
	body += "Object / 异议: object to the entry or record named above, on /me or with `tally objections file`.\n"
	return &tally.Notice{SubjectID: subjectID, Kind: tally.NoticeDenial, Title: "Denied: " + measure + " / 被拒绝：" + measure, Body: body, CreatedAt: now}
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
		switch {
		case a.Role == tally.SubjectR:
			subj, err := tx.SubjectByLookup(ctx, a.Lookup)
			if err != nil {
				return err
			}
			f.SubjectID = subj.ID
		case q.Identifier != "":
			subj, err := s.subject(ctx, tx, q.Identifier)
			if err != nil {
				return err
			}
			f.SubjectID = subj.ID
		}
		var err error
		out, err = tx.Notices(ctx, f)
		return err
	})
	return out, err
}
