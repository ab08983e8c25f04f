package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// DefaultKioskTimeout is how long a kiosk session lasts: long enough to
// print, short enough that the next person does not find the last one's
// report on the screen.
const DefaultKioskTimeout = 60 * time.Second

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

// kioskReport checks the ID number and the one-time code, issues the
// resident's signed report and opens a kiosk session to print it: a page
// with the masked name, the report's link and a refresh back to an empty
// kiosk when the session ends (the pages run no scripts). The ledger limits wrong
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
	k := &kioskSession{Masked: maskName(issued.Name), Code: issued.Code, doc: doc, ends: s.svc.Now().Add(s.opts.KioskTimeout)}
	token := s.kiosk.start(k, s.svc.Now())
	s.render(w, r, q, http.StatusOK, "kioskdone", kioskDoneView{kioskSession: k, Token: token, Seconds: int(s.opts.KioskTimeout / time.Second)})
}

// kioskDoneView is the page of a kiosk session: whose it is, the link
// to the report, and when it ends.
type kioskDoneView struct {
	*kioskSession
	Token   string
	Seconds int
}

// kioskDocument sends the report of a session that has not ended; an
// ended or unknown session answers 410 with an empty kiosk.
func (s *Server) kioskDocument(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	k, ok := s.kiosk.get(r.PathValue("session"), s.svc.Now())
	if !ok {
		s.render(w, r, q, http.StatusGone, "kiosk", kioskView{Purposes: kioskPurposes, Off: s.opts.Reports == nil, Error: q.msgs.Text("kiosk.ended")})
		return
	}
	sendReport(w, k.Code, k.doc)
}

// kioskEnd ends a session at once (the "end now" button) and goes back to
// an empty kiosk.
func (s *Server) kioskEnd(w http.ResponseWriter, r *http.Request) {
	s.kiosk.end(r.PostFormValue("session"))
	http.Redirect(w, r, "/kiosk", http.StatusSeeOther)
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
