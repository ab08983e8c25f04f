package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// kioskPurposes are the purposes the kiosk offers (message keys); "other"
// takes the text typed.
var kioskPurposes = []string{"home-loan", "heating-discount", "job", "grant", "other"}

// kioskView is the kiosk's form.
type kioskView struct {
	ID, Purpose, Other string
	Purposes           []string
	Error              string
	Off                bool
}

// kioskPage shows the self-service form: ID number, one-time code, purpose.
func (s *Server) kioskPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	s.render(w, r, q, http.StatusOK, "kiosk", kioskView{Purposes: kioskPurposes, Off: s.opts.Reports == nil})
}

// kioskReport checks the ID number and the one-time code, then sends the
// resident's signed report as a PDF to print. The ledger limits wrong
// tries per machine and per ID number (ledger.DefaultKioskLimits); every
// failure says the same.
func (s *Server) kioskReport(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	v := kioskView{ID: plainCode(r.PostFormValue("id")), Purpose: r.PostFormValue("purpose"),
		Other: strings.TrimSpace(r.PostFormValue("other")), Purposes: kioskPurposes, Off: s.opts.Reports == nil}
	if v.Off {
		s.render(w, r, q, http.StatusNotFound, "kiosk", v)
		return
	}
	purpose := v.Other
	if v.Purpose != "other" {
		for _, p := range kioskPurposes {
			if p == v.Purpose {
				purpose = q.msgs.Text("kiosk.purpose." + p)
			}
		}
	}
	if strings.TrimSpace(purpose) == "" {
		v.Error = q.msgs.Text("kiosk.need_purpose")
		s.render(w, r, q, http.StatusUnprocessableEntity, "kiosk", v)
		return
	}
	actor, err := s.svc.RedeemKioskCode(ledger.WithSource(r.Context(), clientAddr(r)), v.ID, plainCode(r.PostFormValue("code")))
	var limited *ledger.LimitedError
	switch {
	case errors.As(err, &limited):
		retryAfter(w, limited, s.svc.Now())
		v.Error = q.msgs.Text("kiosk.limited")
		s.render(w, r, q, http.StatusTooManyRequests, "kiosk", v)
		return
	case errors.Is(err, ledger.ErrKioskCode):
		v.Error = q.msgs.Text("kiosk.wrong")
		s.render(w, r, q, http.StatusUnauthorized, "kiosk", v)
		return
	case err != nil:
		s.failErr(w, r, q, err)
		return
	}
	ctx := ledger.WithActor(r.Context(), actor)
	issued, doc, err := s.opts.Reports.Issue(ctx, v.ID, purpose, q.lang)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	sendReport(w, issued, doc)
}

// kioskCodesView is the desk's page that issues one-time codes.
type kioskCodesView struct {
	ID      string
	Code    string
	Expires time.Time
	Errors  fieldErrors
}

func (s *Server) kioskCodesPage(w http.ResponseWriter, r *http.Request, q *req) {
	s.render(w, r, q, http.StatusOK, "kioskcodes", kioskCodesView{Errors: fieldErrors{}})
}

// kioskIssueCode makes a one-time code for the ID number typed and shows
// it once.
func (s *Server) kioskIssueCode(w http.ResponseWriter, r *http.Request, q *req) {
	v := kioskCodesView{ID: plainCode(r.PostFormValue("id")), Errors: fieldErrors{}}
	code, expires, err := s.svc.IssueKioskCode(r.Context(), v.ID)
	if err != nil {
		if v.Errors.take(q, err, map[string]string{"id": "id", "identifier": "id", "subject": "id"}) {
			s.render(w, r, q, http.StatusUnprocessableEntity, "kioskcodes", v)
			return
		}
		s.failErr(w, r, q, err)
		return
	}
	v.Code, v.Expires = code, expires
	s.render(w, r, q, http.StatusOK, "kioskcodes", v)
}
