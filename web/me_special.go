package web

import (
	"net/http"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// specialForm is what the resident chose for a special credit report: the
// areas and the period, as typed (dates as YYYY-MM-DD).
type specialForm struct {
	Areas    map[string]bool
	From, To string
}

// specialDefaults is the form as first shown: every area unticked (none
// means all) and the last year.
func specialDefaults(now time.Time) specialForm {
	return specialForm{Areas: map[string]bool{}, From: localtime.Date(now.AddDate(-1, 0, 0), now.Location()),
		To: localtime.Date(now, now.Location())}
}

// meSpecialReport issues the signed-in resident's special credit report
// (专项信用报告) on the areas and period of the form; the ledger records
// the request, with the resident's own request as its authorisation, in
// their access log. A refusal (a period of more than 5 years, dates that
// do not read) shows again next to the form.
func (s *Server) meSpecialReport(w http.ResponseWriter, r *http.Request, q *req) {
	if s.opts.Reports == nil {
		s.fail(w, r, q, http.StatusNotFound, q.msgs.Text("error.not_found_page"))
		return
	}
	self, err := s.svc.Me(r.Context())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	form := specialForm{Areas: map[string]bool{}, From: plain(r.PostFormValue("from")), To: plain(r.PostFormValue("to"))}
	for _, a := range r.PostForm["areas"] {
		form.Areas[a] = true
	}
	req := ledger.SpecialRequest{Identifier: self.Identifier, Areas: r.PostForm["areas"],
		Purpose: q.msgs.Text("me.special_purpose"), Lang: q.lang}
	err = req.SetDays(form.From, form.To)
	if err == nil {
		issued, doc, ierr := s.opts.Reports.IssueSpecial(r.Context(), req)
		if ierr == nil {
			sendReport(w, issued.Code, doc)
			return
		}
		err = ierr
	}
	v, verr := s.me(r, q)
	if verr != nil {
		s.failErr(w, r, q, verr)
		return
	}
	v.Special = form
	if !v.Errors.take(q, err, map[string]string{"from": "special", "to": "special", "areas": "special"}) {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "me", v)
}
