package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
)

// fieldErrors are a form's errors in the page's language, by the name of
// the form field they belong next to; "" is about the whole form.
type fieldErrors map[string]string

// take puts an error the ledger returned next to the field it names
// (fields maps the ledger's names to the form's), or on the whole form.
// The sentence and the ledger's detail are in the page's language. It
// reports false for a fault of tally itself, which the
// caller shows as a failure page.
func (fe fieldErrors) take(q *req, err error, fields map[string]string) bool {
	var e *tally.Error
	if !errors.As(err, &e) || e.Code == tally.EInternal {
		return false
	}
	field := ""
	if f, ok := fields[e.Field]; ok {
		field = f
	}
	fe[field] = q.explain(e.Code, catalog.ErrorText(q.lang, err))
	return true
}

// conductForm is what a recorder typed for one record, as text.
type conductForm struct {
	Facts map[string]string // by fact name
	Date  string
	Note  string
	Photo string // the stored photo's citation, once uploaded
	Ref   string // made when the form is first shown: the idempotency key
}

// readConductForm reads the form fields f.<fact>, date, note, photo_ref
// and ref.
func readConductForm(v url.Values, rule *rulebook.Rule) conductForm {
	f := conductForm{Facts: map[string]string{}, Date: plain(v.Get("date")),
		Note: strings.TrimSpace(v.Get("note")), Photo: v.Get("photo_ref"), Ref: v.Get("ref")}
	for _, fact := range rule.Facts {
		f.Facts[fact.Name] = strings.TrimSpace(v.Get("f." + fact.Name))
		if fact.Type != rulebook.Text {
			f.Facts[fact.Name] = plain(f.Facts[fact.Name])
		}
	}
	if !strings.HasPrefix(f.Photo, "sha256:") {
		f.Photo = ""
	}
	if len(f.Ref) > 64 || !strings.HasPrefix(f.Ref, "web-") {
		f.Ref = ""
	}
	return f
}

// check finds what a recorder can fix in the form, in the page's
// language: missing or malformed facts, facts out of their bounds, a date
// that is not a date or is in the future.
func (f *conductForm) check(q *req, rule *rulebook.Rule, loc *time.Location, now time.Time) fieldErrors {
	errs := fieldErrors{}
	for _, fact := range rule.Facts {
		name, raw := "f."+fact.Name, f.Facts[fact.Name]
		switch fact.Type {
		case rulebook.Bool:
			if raw != "" && raw != "true" && raw != "false" {
				errs[name] = q.msgs.Text("err.bool")
			}
			continue
		case rulebook.Text:
			if raw == "" {
				errs[name] = q.msgs.Text("err.required")
			}
			continue
		}
		if raw == "" {
			errs[name] = q.msgs.Text("err.required")
			continue
		}
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil || (fact.Type == rulebook.Integer && n != float64(int64(n))) {
			errs[name] = q.msgs.Text("err." + string(fact.Type))
			continue
		}
		if fact.Min != nil && n < *fact.Min {
			errs[name] = q.msgs.Text("err.min", strconv.FormatFloat(*fact.Min, 'f', -1, 64))
		} else if fact.Max != nil && n > *fact.Max {
			errs[name] = q.msgs.Text("err.max", strconv.FormatFloat(*fact.Max, 'f', -1, 64))
		}
	}
	if f.Date == "" {
		errs["date"] = q.msgs.Text("err.required")
	} else if d, err := localtime.ParseDate(f.Date, loc); err != nil {
		errs["date"] = q.msgs.Text("err.date")
	} else if d.After(now) {
		errs["date"] = q.msgs.Text("err.future")
	} else {
		f.Date = localtime.Date(d, loc) // 2026年3月2日 or full-width digits, as the confirmation shows it
	}
	if f.Ref == "" {
		f.Ref = newRef()
	}
	return errs
}

// conduct is the ledger's input for the form. A record of today happens
// now; one of an earlier day at the start of that day.
func (f *conductForm) conduct(v conductView, now time.Time) ledger.Conduct {
	c := ledger.Conduct{Scheme: v.Scheme, Identifier: v.Person.Identifier, Rule: v.Rule.Code, Ref: f.Ref}
	for _, fact := range v.Rule.Facts {
		raw := f.Facts[fact.Name]
		if fact.Type == rulebook.Bool && raw == "" {
			raw = "false"
		}
		c.FactArgs = append(c.FactArgs, fact.Name+"="+raw)
	}
	c.At, _ = localtime.ParseDate(f.Date, v.Book.Location)
	if localtime.SameDay(c.At, now, v.Book.Location) {
		c.At = now
	}
	c.Evidence = strings.TrimSpace(strings.Join([]string{f.Photo, f.Note}, " "))
	return c
}

// conductFields maps the ledger's field names for a record to the form's.
func conductFields(rule *rulebook.Rule) map[string]string {
	m := map[string]string{"at": "date", "evidence": "note", "photo": "photo"}
	for _, fact := range rule.Facts {
		m["facts."+fact.Name] = "f." + fact.Name
	}
	return m
}

// newRef makes the source reference of a record entered on a page.
func newRef() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "web-" + base64.RawURLEncoding.EncodeToString(b)
}

// blank reports whether s has nothing but spaces.
func blank(s string) bool { return strings.TrimSpace(s) == "" }

// urlQuery escapes a query value.
func urlQuery(s string) string { return url.QueryEscape(s) }
