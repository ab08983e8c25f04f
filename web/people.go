package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
)

// The clerk's pages: add a villager and enrol them in a scheme, and
// record a person's consent to be scored and to be named on the honour
// board, or its withdrawal, which asks to be confirmed first.

// peopleView is the clerk's start page: find a person, or add one.
type peopleView struct {
	Schemes  []ledger.Version
	Scheme   string
	Q        string
	Found    []ledger.Found
	Searched bool
	Form     newPerson
	Errors   fieldErrors
}

// newPerson is the add form as typed: the ID number with full-width
// digits folded, the other fields as written.
type newPerson struct {
	Name, ID, Unit, Consent, How string
}

func (s *Server) peopleView(r *http.Request, q *req, scheme string) (peopleView, error) {
	schemes, err := s.schemesOf(r.Context(), q.actor)
	if err != nil {
		return peopleView{}, err
	}
	v := peopleView{Schemes: schemes, Scheme: scheme, Errors: fieldErrors{}}
	if v.Scheme == "" && len(schemes) > 0 {
		v.Scheme = schemes[0].Scheme
	}
	return v, nil
}

// peoplePage finds people enrolled in a scheme, each linked to their
// consents, and offers the form to add someone.
func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request, q *req) {
	in := r.URL.Query()
	v, err := s.peopleView(r, q, in.Get("scheme"))
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if _, asked := in["q"]; asked {
		v.Searched, v.Q = true, plain(in.Get("q"))
		if v.Found, err = s.svc.Find(r.Context(), v.Scheme, v.Q); err != nil && !v.Errors.take(q, err, map[string]string{"q": "q"}) {
			s.failErr(w, r, q, err)
			return
		}
	}
	s.render(w, r, q, http.StatusOK, "people", v)
}

// peopleAdd adds a person and enrols them in the scheme with their
// decision about being scored, then shows their consents. A mistake in
// any field is shown next to it and nothing is written.
func (s *Server) peopleAdd(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.peopleView(r, q, r.PostFormValue("scheme"))
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.Form = newPerson{Name: r.PostFormValue("name"), ID: plainCode(r.PostFormValue("id")), Unit: r.PostFormValue("unit"),
		Consent: r.PostFormValue("consent"), How: r.PostFormValue("how")}
	if blank(v.Form.Name) {
		v.Errors["name"] = q.msgs.Text("err.required")
	}
	if v.Form.ID == "" {
		v.Errors["id"] = q.msgs.Text("err.required")
	}
	if v.Form.Consent == "" {
		v.Errors["consent"] = q.msgs.Text("people.consent_required")
	}
	if len(v.Errors) == 0 {
		var rep *ledger.PeopleReport
		rep, err = s.enrolPerson(r, v.Scheme, v.Form)
		if err == nil && len(rep.Bad) == 0 {
			s.toConsents(w, r, q, v.Scheme, v.Form.ID, rep.Enrolled == 0)
			return
		}
		if !v.Errors.takeRows(q, rep, err) {
			s.failErr(w, r, q, err)
			return
		}
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "people", v)
}

// enrolPerson adds and enrols one person through the subjects import, as
// a file of one row: the checks and the one transaction are the import's,
// so that a row with a mistake anywhere writes nothing.
func (s *Server) enrolPerson(r *http.Request, scheme string, p newPerson) (*ledger.PeopleReport, error) {
	var b bytes.Buffer
	out := csv.NewWriter(&b)
	_ = out.Write([]string{"kind", "id", "name", "scheme", "unit", "consent", "how"})
	_ = out.Write([]string{string(tally.Person), p.ID, p.Name, scheme, p.Unit, p.Consent, p.How})
	out.Flush()
	if err := out.Error(); err != nil {
		return nil, err
	}
	return s.svc.ImportPeople(r.Context(), &b, nil)
}

// personFields maps the subjects import's fields to the add form's.
var personFields = map[string]string{"id": "id", "name": "name", "unit": "unit", "consent": "consent", "how": "how"}

// takeRows puts the first bad row of a one-row import next to its field,
// or a file the import could not read on the whole form. It reports false
// for any other error, a fault of tally.
func (fe fieldErrors) takeRows(q *req, rep *ledger.PeopleReport, err error) bool {
	var bad []parse.RowError
	var file *parse.FileError
	switch {
	case err == nil && rep != nil:
		bad = rep.Bad
	case errors.As(err, &file):
		bad = file.Bad
	default:
		return fe.take(q, err, personFields)
	}
	if len(bad) == 0 {
		return false
	}
	code := bad[0].Code
	if code == "" {
		code = string(tally.EInvalid)
	}
	fe[personFields[bad[0].Field]] = q.explain(tally.ErrorCode(code), bad[0].Say(catalog.Translator(q.lang)))
	return true
}

// toConsents sends the clerk to the consents of the person just added (or
// found already there) by their full number.
func (s *Server) toConsents(w http.ResponseWriter, r *http.Request, q *req, scheme, identifier string, existed bool) {
	found, err := s.svc.Find(r.Context(), scheme, identifier)
	if err != nil || len(found) != 1 {
		s.failErr(w, r, q, tally.Errorf(tally.ENotFound, "the person just enrolled in %s is not found", scheme))
		return
	}
	note := "added"
	if existed {
		note = "existed"
	}
	http.Redirect(w, r, consentsPath(scheme, found[0].SubjectID)+"?"+url.Values{"note": {note}}.Encode(), http.StatusSeeOther)
}

func consentsPath(scheme string, subject int64) string {
	return "/people/" + url.PathEscape(scheme) + "/" + strconv.FormatInt(subject, 10)
}

// consentView is one person's consents as a clerk records them. Confirm
// names a withdrawal waiting to be confirmed ("consent" or
// "publication"); Note the change just made.
type consentView struct {
	Scheme    string
	Person    *ledger.Found
	Published bool
	Confirm   string
	How       string
	Note      string
	Errors    fieldErrors
}

// consentForm is one button that records a consent given or withdrawn,
// with the fields its form carries.
type consentForm struct {
	Action  string
	CSRF    string
	What    string // "consent" or "publication"
	Given   bool
	Confirm bool   // the confirmed withdrawal
	How     string // as typed, carried into the confirmation
	Label   string // the button's catalogue key
}

// Forms are the buttons the page shows: the confirmation of a withdrawal
// asked for, then for each consent, to give it or to withdraw it.
func (v consentView) Forms(csrf string) map[string]consentForm {
	form := func(what string, given, confirm bool, label string) consentForm {
		return consentForm{Action: consentsPath(v.Scheme, v.Person.SubjectID) + "/" + what, CSRF: csrf, What: what,
			Given: given, Confirm: confirm, How: v.How, Label: label}
	}
	out := map[string]consentForm{}
	if v.Confirm != "" {
		out["confirm"] = form(v.Confirm, false, true, "consent.withdraw_confirm_"+v.Confirm)
	}
	for what, on := range map[string]bool{"consent": v.Person.Consent, "publication": v.Published} {
		if on {
			out[what] = form(what, false, false, "consent.withdraw_"+what)
		} else {
			out[what] = form(what, true, false, "consent.give_"+what)
		}
	}
	return out
}

// consentKinds are the two consents a clerk records.
var consentKinds = map[string]bool{"consent": true, "publication": true}

func (s *Server) consents(r *http.Request) (consentView, error) {
	scheme := r.PathValue("scheme")
	id, err := strconv.ParseInt(r.PathValue("subject"), 10, 64)
	if err != nil {
		return consentView{}, tally.Errorf(tally.ENotFound, "no subject %q", r.PathValue("subject"))
	}
	v := consentView{Scheme: scheme, Errors: fieldErrors{}}
	if v.Person, err = s.svc.FoundByID(r.Context(), scheme, id); err != nil {
		return v, err
	}
	v.Published, err = s.svc.Publication(r.Context(), scheme, v.Person.Identifier)
	return v, err
}

// consentPage shows a person's two consents with the forms to change them.
func (s *Server) consentPage(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.consents(r)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.Note = r.URL.Query().Get("note")
	s.render(w, r, q, http.StatusOK, "consent", v)
}

// consentSet records a consent given, or withdrawn once confirmed: a
// withdrawal not yet confirmed shows what follows from it and changes
// nothing.
func (s *Server) consentSet(w http.ResponseWriter, r *http.Request, q *req) {
	what := r.PathValue("what")
	if !consentKinds[what] {
		s.notFound(w, r)
		return
	}
	v, err := s.consents(r)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	given := r.PostFormValue("given") == "true"
	v.How = r.PostFormValue("how")
	if !given && r.PostFormValue("confirm") != "yes" {
		v.Confirm = what
		s.render(w, r, q, http.StatusOK, "consent", v)
		return
	}
	set := s.svc.SetConsent
	if what == "publication" {
		set = s.svc.SetPublication
	}
	if err := set(r.Context(), v.Scheme, v.Person.Identifier, given, v.How); err != nil {
		if !v.Errors.take(q, err, map[string]string{"how": "how"}) {
			s.failErr(w, r, q, err)
			return
		}
		s.render(w, r, q, http.StatusUnprocessableEntity, "consent", v)
		return
	}
	note := what + "_off"
	if given {
		note = what + "_on"
	}
	http.Redirect(w, r, consentsPath(v.Scheme, v.Person.SubjectID)+"?"+url.Values{"note": {note}}.Encode(), http.StatusSeeOther)
}
