package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// DefaultSMTPTimeout bounds one delivery when the context sets no deadline.
const DefaultSMTPTimeout = 30 * time.Second

// SMTP sends each notice as a plain-text UTF-8 mail through one server.
// It uses STARTTLS when the server offers it, and Auth (if set) only over
// TLS or to a loopback server, as net/smtp's PlainAuth requires. Safe for
// concurrent use; the zero value is not usable: set Addr and From.
type SMTP struct {
	Addr string    // host:port
	From string    // the sender address
	Auth smtp.Auth // nil: no authentication
	// TLS configures STARTTLS; nil uses the server's host name.
	TLS *tls.Config
}

var _ ledger.Sender = (*SMTP)(nil)

// Name is "smtp".
func (s *SMTP) Name() string { return "smtp" }

// ErrNoAddress is returned for a subject without a contact address.
var ErrNoAddress = errors.New("the subject has no contact address")

// Send delivers one notice to address.
func (s *SMTP) Send(ctx context.Context, n *tally.Notice, address string) error {
	if address == "" {
		return ErrNoAddress
	}
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("smtp address %q: %w", s.Addr, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultSMTPTimeout)
		defer cancel()
	}
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("smtp dial: %w", err)
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		if err := conn.SetDeadline(dl); err != nil {
			return err
		}
	}
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return fmt.Errorf("smtp greeting: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := s.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("smtp starttls: %w", err)
		}
	}
	if s.Auth != nil {
		if err := c.Auth(s.Auth); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return fmt.Errorf("smtp from: %w", err)
	}
	if err := c.Rcpt(address); err != nil {
		return fmt.Errorf("smtp recipient: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if _, err := w.Write(message(s.From, address, n)); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp data: %w", err)
	}
	return c.Quit()
}

// message writes the mail: headers with the title encoded for non-ASCII
// text, and the body as quoted-printable UTF-8.
func message(from, to string, n *tally.Notice) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\n", from, to, mime.QEncoding.Encode("utf-8", n.Title))
	fmt.Fprintf(&b, "Date: %s\r\nMessage-ID: <notice-%d@tally>\r\n", n.CreatedAt.Format(time.RFC1123Z), n.ID)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write(bytes.ReplaceAll([]byte(n.Body), []byte("\n"), []byte("\r\n")))
	_ = qp.Close()
	return b.Bytes()
}
