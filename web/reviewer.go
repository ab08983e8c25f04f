package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// reviewWindow is how far back the reviewer's queue of deductions goes.
const reviewWindowDays = 30

// reviewView is the reviewer's queue: recent deductions in a scheme that
// stand, each with a form to reverse it with reasons.
type reviewView struct {
	Schemes  []ledger.Version
	Scheme   string
	Queue    []ledger.RecentEntry
	Reversed int64
	Days     int
	Errors   fieldErrors
	Failed   int64 // the entry whose reversal failed

	// Due process (due.go): records waiting for a second person and the
	// open objections, overdue first.
	Held            []ledger.Held
	Objections      []ledger.ObjectionView
	Overdue         int
	FailedHeld      int64 // the held record whose decision failed
	FailedObjection int64 // the objection whose decision failed
	Approved        int64
	Rejected        int64
	Decided         int64
	// Barred and BarredHeld mark the objections and held records the
	// reviewer may not decide, having taken part in their case or being
	// its subject: the page shows who decides instead of a form.
	Barred     map[int64]bool
	BarredHeld map[int64]bool
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.review(r, q)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.Reversed, _ = strconv.ParseInt(r.URL.Query().Get("reversed"), 10, 64)
	v.Approved, _ = strconv.ParseInt(r.URL.Query().Get("approved"), 10, 64)
	v.Rejected, _ = strconv.ParseInt(r.URL.Query().Get("rejected"), 10, 64)
	v.Decided, _ = strconv.ParseInt(r.URL.Query().Get("decided"), 10, 64)
	s.render(w, r, q, http.StatusOK, "review", v)
}

// review builds the queue of the scheme asked for, or the first.
func (s *Server) review(r *http.Request, q *req) (reviewView, error) {
	schemes, err := s.schemesOf(r.Context(), q.actor)
	if err != nil {
		return reviewView{}, err
	}
	v := reviewView{Schemes: schemes, Scheme: r.FormValue("scheme"), Days: reviewWindowDays, Errors: fieldErrors{}}
	if v.Scheme == "" && len(schemes) > 0 {
		v.Scheme = schemes[0].Scheme
	}
	if v.Scheme == "" {
		return v, nil
	}
	if err := s.dueQueue(r, &v); err != nil {
		return v, err
	}
	now := s.svc.Now()
	recent, err := s.svc.Recent(r.Context(), v.Scheme, now.AddDate(0, 0, -reviewWindowDays), now.Add(time.Second), ledger.MaxPage)
	if err != nil {
		return v, err
	}
	for _, e := range recent {
		if !e.IsReversal() && !e.Reversed && !e.Pending && e.Awarded < 0 { // held ones are in the approval queue
			v.Queue = append(v.Queue, e)
		}
	}
	return v, nil
}

// reviewReverse reverses a record with the reviewer's reasons.
func (s *Server) reviewReverse(w http.ResponseWriter, r *http.Request, q *req) {
	scheme := r.PathValue("scheme")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	reason := r.PostFormValue("reason")
	var err error
	if !blank(reason) {
		_, err = s.svc.Reverse(r.Context(), ledger.Reversal{Scheme: scheme, Record: id, Reason: reason,
			Ref: "web-review-" + strconv.FormatInt(id, 10)})
		if err == nil {
			http.Redirect(w, r, "/review?"+url.Values{"scheme": {scheme}, "reversed": {r.PathValue("id")}}.Encode(), http.StatusSeeOther)
			return
		}
	}
	v, verr := s.review(r, q)
	if verr != nil {
		s.failErr(w, r, q, verr)
		return
	}
	v.Failed = id
	if err == nil {
		v.Errors["reason"] = q.msgs.Text("err.required")
	} else if !v.Errors.take(q, err, map[string]string{"reason": "reason"}) {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "review", v)
}

// personView is a reviewer's look at one person's record, with a stated
// purpose that the person sees in their access log.
type personView struct {
	Schemes []ledger.Version
	Scheme  string
	Q       string
	Purpose string
	Found   []ledger.Found
	Person  *ledger.Found
	Score   *ledger.Explanation
	Errors  fieldErrors
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request, q *req) {
	ctx := r.Context()
	schemes, err := s.schemesOf(ctx, q.actor)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	in := r.URL.Query()
	v := personView{Schemes: schemes, Scheme: in.Get("scheme"), Q: plain(in.Get("q")), Purpose: in.Get("purpose"), Errors: fieldErrors{}}
	if v.Scheme == "" && len(schemes) > 0 {
		v.Scheme = schemes[0].Scheme
	}
	if _, asked := in["q"]; asked {
		if blank(v.Purpose) {
			v.Errors["purpose"] = q.msgs.Text("err.purpose")
		}
		if v.Found, err = s.svc.Find(ctx, v.Scheme, v.Q); err != nil && !v.Errors.take(q, err, map[string]string{"q": "q"}) {
			s.failErr(w, r, q, err)
			return
		}
	}
	if id, err := strconv.ParseInt(in.Get("subject"), 10, 64); err == nil && len(v.Errors) == 0 {
		if v.Person, err = s.svc.FoundByID(ctx, v.Scheme, id); err != nil {
			s.failErr(w, r, q, err)
			return
		}
		v.Score, err = s.svc.Explain(ledger.WithPurpose(ctx, v.Purpose), v.Scheme, v.Person.Identifier, s.svc.Now())
		if err != nil && !v.Errors.take(q, err, map[string]string{"purpose": "purpose"}) {
			s.failErr(w, r, q, err)
			return
		}
	}
	s.render(w, r, q, http.StatusOK, "person", v)
}
