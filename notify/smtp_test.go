package notify_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/notify"
	"github.com/tallycredit/tally/sqlite"
)

// sink is a minimal SMTP server on a loopback port that keeps what it
// receives; with refuse set it refuses every recipient.
type sink struct {
	ln     net.Listener
	mu     sync.Mutex
	mails  []string // raw DATA of each message
	rcpts  []string
	refuse bool
}

func newSink(t *testing.T) *sink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &sink{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *sink) setRefuse(v bool) { s.mu.Lock(); s.refuse = v; s.mu.Unlock() }

func (s *sink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 sink ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-sink\r\n250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			say("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			s.mu.Lock()
			refuse := s.refuse
			if !refuse {
				s.rcpts = append(s.rcpts, strings.TrimSpace(line[len("RCPT TO:"):]))
			}
			s.mu.Unlock()
			if refuse {
				say("550 no such mailbox")
			} else {
				say("250 ok")
			}
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			s.mu.Lock()
			s.mails = append(s.mails, b.String())
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		case cmd == "RSET", cmd == "NOOP":
			say("250 ok")
		default:
			say("502 not implemented")
		}
	}
}

func (s *sink) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.mails...)
}

const zhang = "360426199101010071"

// newLedger is a ledger over a SQLite file with the city scheme and one
// consenting resident.
func newLedger(t *testing.T) (*ledger.Service, context.Context) {
	t.Helper()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "admin", Role: tally.Admin}), "test")
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	svc := ledger.New(db, vault, ledger.Options{Now: func() time.Time { return now }})
	src, _ := examples.Rulebooks.ReadFile("city.yaml")
	if _, err := svc.Publish(ctx, "city.yaml", src); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddSubject(ctx, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Enrol(ctx, ledger.Enrolment{Scheme: "rongcheng-city", Identifier: zhang, Consent: true}); err != nil {
		t.Fatal(err)
	}
	return svc, ctx
}

func record(t *testing.T, svc *ledger.Service, ctx context.Context, rule, ref string) {
	t.Helper()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	if _, err := svc.Record(ctx, ledger.Conduct{Scheme: "rongcheng-city", Identifier: zhang, Rule: rule, At: at, Ref: ref, Evidence: "bank letter 7"}); err != nil {
		t.Fatal(err)
	}
}

// A record's notice reaches the subject's address through SMTP, in UTF-8,
// with what, why, effect and how to object; the attempt is recorded, and
// a delivered notice is not sent again.
func TestSMTPDeliversNotices(t *testing.T) {
	svc, ctx := newLedger(t)
	if err := svc.SetContact(ctx, zhang, "not an address"); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("a bad address: got %v, want invalid", err)
	}
	if err := svc.SetContact(ctx, zhang, "zhang@example.cn"); err != nil {
		t.Fatal(err)
	}
	record(t, svc, ctx, "finance.loan-default", "loan/1")
	s := newSink(t)
	sender := &notify.SMTP{Addr: s.ln.Addr().String(), From: "tally@city.example"}
	d, err := svc.DeliverNotices(ctx, sender, 10)
	if err != nil || d.Delivered != 1 || d.Failed != 0 {
		t.Fatalf("got %+v, %v; want 1 delivered", d, err)
	}
	mails := s.received()
	if len(mails) != 1 {
		t.Fatalf("the sink got %d mails, want 1", len(mails))
	}
	msg, err := mail.ReadMessage(strings.NewReader(mails[0]))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || !strings.Contains(subject, "记录 #1") || !strings.Contains(subject, "Record #1") {
		t.Errorf("subject %q (%v), want the record in both languages", subject, err)
	}
	if to := msg.Header.Get("To"); to != "zhang@example.cn" {
		t.Errorf("To %q, want the contact address", to)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	// Chinese first, then English, each part whole.
	zh, en, _ := strings.Cut(strings.ReplaceAll(string(body), "\r\n", "\n"), "\n\n")
	for _, want := range []string{"内容：", "-20 分", "法律依据：", "bank letter 7", "至 2027-11-01", "异议："} {
		if !strings.Contains(zh, want) {
			t.Errorf("the Chinese part lacks %q:\n%s", want, body)
		}
	}
	for _, want := range []string{"What:", "-20 points", "basis:", "bank letter 7", "until 2027-11-01", "Object:"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English part lacks %q:\n%s", want, body)
		}
	}
	again, err := svc.DeliverNotices(ctx, sender, 10)
	if err != nil || again.Delivered+again.Failed != 0 {
		t.Errorf("a second pass: %+v %v, want nothing to send", again, err)
	}
	out, err := svc.Outbox(ctx, ledger.OutboxQuery{Identifier: zhang})
	if err != nil || len(out) != 1 || !out[0].Delivered() || out[0].Attempts[0].Sender != "smtp" {
		t.Errorf("outbox %+v %v, want the notice delivered by smtp", out, err)
	}
}

// A refused delivery is recorded with its error and tried again on the
// next pass, up to ledger.MaxAttempts; without an address SMTP fails and
// the log sender delivers.
func TestDeliveryRetries(t *testing.T) {
	svc, ctx := newLedger(t)
	if err := svc.SetContact(ctx, zhang, "zhang@example.cn"); err != nil {
		t.Fatal(err)
	}
	record(t, svc, ctx, "finance.loan-default", "loan/1")
	s := newSink(t)
	s.setRefuse(true)
	sender := &notify.SMTP{Addr: s.ln.Addr().String(), From: "tally@city.example"}
	for i := 0; i < ledger.MaxAttempts; i++ {
		d, err := svc.DeliverNotices(ctx, sender, 10)
		if err != nil || d.Failed != 1 {
			t.Fatalf("pass %d: %+v %v, want 1 failed", i+1, d, err)
		}
	}
	d, err := svc.DeliverNotices(ctx, sender, 10)
	if err != nil || d.GaveUp != 1 || d.Failed != 0 {
		t.Errorf("after %d attempts: %+v %v, want it given up", ledger.MaxAttempts, d, err)
	}
	out, _ := svc.Outbox(ctx, ledger.OutboxQuery{Open: true})
	if len(out) != 1 || len(out[0].Attempts) != ledger.MaxAttempts || !strings.Contains(out[0].Attempts[0].Error, "550") {
		t.Errorf("outbox %+v, want %d attempts with the server's refusal", out, ledger.MaxAttempts)
	}

	if err := svc.SetContact(ctx, zhang, ""); err != nil {
		t.Fatal(err)
	}
	record(t, svc, ctx, "utilities.late-fees", "fee/1")
	s.setRefuse(false)
	d, err = svc.DeliverNotices(ctx, sender, 10)
	if err != nil || d.Failed != 1 {
		t.Errorf("without an address: %+v %v, want the new notice failed", d, err)
	}
	d, err = svc.DeliverNotices(ctx, notify.Log{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, 10)
	if err != nil || d.Delivered != 1 {
		t.Errorf("the log sender: %+v %v, want 1 delivered", d, err)
	}
}
