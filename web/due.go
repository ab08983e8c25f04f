package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Due process on the pages: a resident objects to a record and appeals a
// decision from /me; a reviewer approves or rejects held records and
// decides objections from /review, with the overdue flagged.

// dueQueue fills the reviewer's page with what waits for them, a page of
// each list: records held for a second person in the scheme, and every
// open objection they may decide, overdue first.
func (s *Server) dueQueue(r *http.Request, v *reviewView, state url.Values) error {
	held, err := s.svc.PendingReviews(r.Context(), v.Scheme, 0, ledger.MaxPage)
	if err != nil {
		return err
	}
	v.Held = pageOf(v, held, state, "held")
	open, err := s.svc.Objections(r.Context(), ledger.ObjectionQuery{Open: true})
	if err != nil {
		return err
	}
	var objections []ledger.ObjectionView
	for _, o := range open {
		if o.Overdue {
			v.Overdue++
			objections = append(objections, o)
		}
	}
	for _, o := range open {
		if !o.Overdue {
			objections = append(objections, o)
		}
	}
	v.Objections = pageOf(v, objections, state, "objections")
	v.Barred, v.BarredHeld = map[int64]bool{}, map[int64]bool{}
	for _, o := range v.Objections {
		if v.Barred[o.ID], err = barred(s.svc.MayDecideObjection(r.Context(), o.ID)); err != nil {
			return err
		}
	}
	for _, h := range v.Held {
		if v.BarredHeld[h.RecordID], err = barred(s.svc.MayReviewHold(r.Context(), h.RecordID)); err != nil {
			return err
		}
	}
	return nil
}

// barred turns a may-decide answer into whether the reader is barred,
// passing on any error other than EForbidden.
func barred(err error) (bool, error) {
	if tally.ErrorCodeOf(err) == tally.EForbidden {
		return true, nil
	}
	return false, err
}

// reviewHold approves or rejects a held record.
func (s *Server) reviewHold(approve bool) func(http.ResponseWriter, *http.Request, *req) {
	return func(w http.ResponseWriter, r *http.Request, q *req) {
		id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
		reasons := r.PostFormValue("reasons")
		var err error
		if approve {
			_, err = s.svc.Approve(r.Context(), id, reasons)
		} else if !blank(reasons) {
			_, err = s.svc.Reject(r.Context(), id, reasons)
		}
		if err == nil && (approve || !blank(reasons)) {
			done := "approved"
			if !approve {
				done = "rejected"
			}
			http.Redirect(w, r, "/review?"+url.Values{"scheme": {r.PostFormValue("scheme")}, done: {r.PathValue("id")}}.Encode(), http.StatusSeeOther)
			return
		}
		s.reviewAgain(w, r, q, func(v *reviewView) { v.FailedHeld = id }, err, "reasons", map[string]string{"reasons": "reasons"})
	}
}

// reviewDecide decides an objection with the reviewer's reasons.
func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request, q *req) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d := ledger.Decision{Objection: id, Outcome: tally.Outcome(r.PostFormValue("outcome")), Reasons: r.PostFormValue("reasons"),
		Facts: strings.Fields(strings.ReplaceAll(r.PostFormValue("facts"), ";", " "))}
	var err error
	if !blank(d.Reasons) {
		if _, err = s.svc.Decide(r.Context(), d); err == nil {
			http.Redirect(w, r, "/review?"+url.Values{"scheme": {r.PostFormValue("scheme")}, "decided": {r.PathValue("id")}}.Encode(), http.StatusSeeOther)
			return
		}
	}
	s.reviewAgain(w, r, q, func(v *reviewView) { v.FailedObjection = id }, err, "reasons",
		map[string]string{"reasons": "reasons", "outcome": "outcome", "record": "outcome"})
}

// meObject files a resident's objection to one of their records.
func (s *Server) meObject(w http.ResponseWriter, r *http.Request, q *req) {
	self, err := s.svc.Me(r.Context())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	record, _ := strconv.ParseInt(plain(r.PostFormValue("record")), 10, 64)
	grounds := r.PostFormValue("grounds")
	if !blank(grounds) {
		var o *ledger.ObjectionView
		o, err = s.svc.Object(r.Context(), ledger.ObjectionInput{Scheme: r.PostFormValue("scheme"), Identifier: self.Identifier,
			Record: record, Grounds: grounds, Evidence: r.PostFormValue("evidence")})
		if err == nil {
			http.Redirect(w, r, "/me?objected="+strconv.FormatInt(o.ID, 10)+"#objections", http.StatusSeeOther)
			return
		}
	}
	s.meAgain(w, r, q, record, err, map[string]string{"grounds": "grounds", "evidence": "evidence", "record": "grounds"})
}

// meAppeal appeals a decision on one of the resident's objections.
func (s *Server) meAppeal(w http.ResponseWriter, r *http.Request, q *req) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	grounds := r.PostFormValue("grounds")
	var err error
	if !blank(grounds) {
		if _, err = s.svc.Appeal(r.Context(), id, grounds, r.PostFormValue("evidence")); err == nil {
			http.Redirect(w, r, "/me#objections", http.StatusSeeOther)
			return
		}
	}
	s.meAgain(w, r, q, -id, err, map[string]string{"grounds": "grounds"})
}

// meAgain shows /me again with the error next to the form of failed (a
// record ID, or minus an objection ID for an appeal form).
func (s *Server) meAgain(w http.ResponseWriter, r *http.Request, q *req, failed int64, err error, fields map[string]string) {
	v, verr := s.me(r, q)
	if verr != nil {
		s.failErr(w, r, q, verr)
		return
	}
	v.Failed, v.Errors = failed, fieldErrors{}
	if err == nil {
		v.Errors["grounds"] = q.msgs.Text("err.required")
	} else if !v.Errors.take(q, err, fields) {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "me", v)
}
