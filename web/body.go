package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"

	"github.com/tallycredit/tally/ledger"
)

// The defaults of the body limits in Options. A form is read only after
// its sender is known (see Server.only), and never to a temporary file.
const (
	// DefaultMaxPublicForm caps the body of a form sent without a session
	// (sign-in, the kiosk, a form whose session ended).
	DefaultMaxPublicForm = 16 << 10
	// DefaultMaxForm caps a signed-in form without a file; a rulebook's
	// source, pasted on the admin page, is the largest.
	DefaultMaxForm = 1 << 20
	// DefaultMaxUpload caps a signed-in form with a file: the file (at
	// most ledger.MaxEvidence) and its other fields.
	DefaultMaxUpload = ledger.MaxEvidence + 256<<10
	// DefaultMaxField caps each field of a form with a file, other than
	// the file.
	DefaultMaxField = 64 << 10
	// maxParts caps the fields of a multipart form.
	maxParts = 200
)

// defaults fills the zero limits of o.
func (o *Options) defaults() {
	for _, l := range []struct {
		v   *int64
		def int64
	}{{&o.MaxPublicForm, DefaultMaxPublicForm}, {&o.MaxForm, DefaultMaxForm}, {&o.MaxUpload, DefaultMaxUpload}, {&o.MaxField, DefaultMaxField}} {
		if *l.v <= 0 {
			*l.v = l.def
		}
	}
	if o.KioskTimeout <= 0 {
		o.KioskTimeout = DefaultKioskTimeout
	}
}

// errTooLarge is a form over one of its limits: the page answers 413.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string { return fmt.Sprintf("the form is larger than %d bytes", e.limit) }

// errStop ends reading a form at its first file, keeping the fields read.
var errStop = errors.New("stop at the file")

// errNoFile is a file sent in a form that takes none.
var errNoFile = errors.New("this form takes no file")

// formBody is how one form may be read: its byte limit, and what to do
// when a file part arrives (return errStop to keep what was read and stop,
// another error to refuse the form, nil to read the file).
type formBody struct {
	limit  int64
	field  int64
	file   int64
	onFile func(form url.Values) error
}

// readForm reads the form of a POST under b's limits into r.PostForm and
// r.Form, and its files into q.files. It reads from the original body
// (withSession capped it for those not yet known) and never writes a
// temporary file: a multipart body is streamed part by part, each part
// capped. A form over a limit is errTooLarge.
func readForm(w http.ResponseWriter, r *http.Request, q *req, b formBody) error {
	if r.ContentLength > b.limit {
		return errTooLarge{b.limit}
	}
	r.Body = http.MaxBytesReader(w, q.body, b.limit)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return tooLarge(r.ParseForm(), b.limit)
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return err
	}
	form := url.Values{}
	err = readParts(mr, b, form, q)
	if errors.Is(err, errStop) {
		err = nil
	}
	r.PostForm = form
	r.Form = url.Values{}
	for k, v := range r.URL.Query() {
		r.Form[k] = append(r.Form[k], v...)
	}
	for k, v := range form {
		r.Form[k] = append(r.Form[k], v...)
	}
	return tooLarge(err, b.limit)
}

// readParts reads a multipart form part by part: fields into form, files
// (after b.onFile allows them) into q.files, each capped.
func readParts(mr *multipart.Reader, b formBody, form url.Values, q *req) error {
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if n == maxParts {
			return errTooLarge{b.limit}
		}
		name := p.FormName()
		if name == "" {
			continue
		}
		if p.FileName() == "" {
			v, err := readCapped(p, b.field)
			if err != nil {
				return err
			}
			form.Add(name, string(v))
			continue
		}
		if err := b.onFile(form); err != nil {
			return err
		}
		data, err := readCapped(p, b.file)
		if err != nil {
			return err
		}
		if q.files == nil {
			q.files = map[string][]byte{}
		}
		if len(data) > 0 {
			q.files[name] = data
		}
	}
}

// readCapped reads r to its end, failing with errTooLarge past limit.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge{limit}
	}
	return data, nil
}

// tooLarge turns a body cut off by its limit into errTooLarge.
func tooLarge(err error, limit int64) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errTooLarge{limit}
	}
	return err
}

// formFailed answers a form that could not be read: 413 for one too
// large, 400 for one that is not a form.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, q *req, err error) {
	var big errTooLarge
	if errors.As(err, &big) {
		s.fail(w, r, q, http.StatusRequestEntityTooLarge, q.msgs.Text("error.too_large", megabytes(big.limit)))
		return
	}
	s.fail(w, r, q, http.StatusBadRequest, q.msgs.Text("error.bad_form"))
}

// megabytes writes a limit for people: "1", "5.3".
func megabytes(n int64) string {
	mb := float64(n) / (1 << 20)
	if mb == float64(int64(mb)) {
		return fmt.Sprint(int64(mb))
	}
	return fmt.Sprintf("%.1f", mb)
}
