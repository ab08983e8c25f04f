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

// reviewView is the reviewer's queue: recent deductions in a scheme, each
// that stands with a form to reverse it with reasons, each reversed with
// its reversal beside it. Every list comes a page at a time.
type reviewView struct {
	Schemes  []ledger.Version
	Scheme   string
	Queue    []ledger.RecentEntry
	Reversed int64
	Days     int
	Errors   fieldErrors
	Failed   int64 // the entry whose reversal failed

	// Pages are the page of each list, and Keep the page parameters the
	// forms carry, so that a page shown again after a failed form shows
	// the same pages.
	Pages map[string]pager
	Keep  url.Values

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

	// Repairs (repairs.go): open applications to end a deduction early.
	Repairs       []repairView
	FailedRepair  int64 // the repair whose decision failed
	RepairDecided int64
	RepairApplied int64
}

// reviewLists are the reviewer's lists, each paged by the parameter of
// its name, and the anchor of its section.
var reviewLists = []string{"objections", "held", "recent", "repairs"}

// reviewState is what the review page's links keep: the scheme and the
// page of each list.
func reviewState(r *http.Request, scheme string) url.Values {
	v := url.Values{"scheme": {scheme}}
	for _, l := range reviewLists {
		if p := r.FormValue("page_" + l); p != "" {
			v.Set("page_"+l, p)
		}
	}
	return v
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
	v.RepairDecided, _ = strconv.ParseInt(r.URL.Query().Get("repair_decided"), 10, 64)
	v.RepairApplied, _ = strconv.ParseInt(r.URL.Query().Get("repair_applied"), 10, 64)
	s.render(w, r, q, http.StatusOK, "review", v)
}

// review builds the queue of the scheme asked for, or the first.
func (s *Server) review(r *http.Request, q *req) (reviewView, error) {
	schemes, err := s.schemesOf(r.Context(), q.actor)
	if err != nil {
		return reviewView{}, err
	}
	v := reviewView{Schemes: schemes, Scheme: r.FormValue("scheme"), Days: reviewWindowDays, Errors: fieldErrors{}, Pages: map[string]pager{}}
	if v.Scheme == "" && len(schemes) > 0 {
		v.Scheme = schemes[0].Scheme
	}
	if v.Scheme == "" {
		return v, nil
	}
	state := reviewState(r, v.Scheme)
	v.Keep = url.Values{}
	for k, vs := range state {
		if k != "scheme" {
			v.Keep[k] = vs
		}
	}
	if err := s.dueQueue(r, &v, state); err != nil {
		return v, err
	}
	if err := s.repairQueue(r, &v, state); err != nil {
		return v, err
	}
	now := s.svc.Now()
	recent, err := s.svc.Recent(r.Context(), v.Scheme, now.AddDate(0, 0, -reviewWindowDays), now.Add(time.Second), ledger.MaxPage)
	if err != nil {
		return v, err
	}
	var queue []ledger.RecentEntry
	for _, e := range recent {
		if !e.IsReversal() && !e.Pending && e.Awarded < 0 { // held ones are in the approval queue
			queue = append(queue, e)
		}
	}
	v.Queue = pageOf(&v, queue, state, "recent")
	return v, nil
}

// pageOf cuts the page of one of the review page's lists.
func pageOf[T any](v *reviewView, all []T, state url.Values, list string) []T {
	out, p := paged(all, "/review", state, "page_"+list, list)
	v.Pages[list] = p
	return out
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
	s.reviewAgain(w, r, q, func(v *reviewView) { v.Failed = id }, err, "reason", map[string]string{"reason": "reason"})
}

// reviewAgain shows the review page again after one of its forms failed,
// marked by mark: err next to its field (fields maps the ledger's names to
// the form's), or, when err is nil, the form's required field empty.
func (s *Server) reviewAgain(w http.ResponseWriter, r *http.Request, q *req, mark func(*reviewView), err error, required string, fields map[string]string) {
	v, verr := s.review(r, q)
	if verr != nil {
		s.failErr(w, r, q, verr)
		return
	}
	mark(&v)
	if err == nil {
		v.Errors[required] = q.msgs.Text("err.required")
	} else if !v.Errors.take(q, err, fields) {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "review", v)
}

// personView is a reviewer's look at one person's record, with a stated
// purpose that the person sees in their access log: the score with the
// records in effect (a deduction with a form to record a repair
// application), and every record a page at a time, a reversed one with its
// reversal beside it.
type personView struct {
	Schemes []ledger.Version
	Scheme  string
	Q       string
	Purpose string
	Found   []ledger.Found
	Person  *ledger.Found
	Score   *ledger.Explanation
	History []ledger.Entry
	Pages   pager
	Errors  fieldErrors
	// FailedRecord is the deduction whose repair application failed.
	FailedRecord int64
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.lookUp(r, q, r.URL.Query())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, "person", v)
}

// lookUp reads the person page's search and person from in (the query,
// or a form sent from the page). A mistake of the reader's is an error
// next to its field; any other error is returned.
func (s *Server) lookUp(r *http.Request, q *req, in url.Values) (personView, error) {
	ctx := r.Context()
	schemes, err := s.schemesOf(ctx, q.actor)
	if err != nil {
		return personView{}, err
	}
	v := personView{Schemes: schemes, Scheme: in.Get("scheme"), Q: plain(in.Get("q")), Purpose: in.Get("purpose"), Errors: fieldErrors{}}
	if v.Scheme == "" && len(schemes) > 0 {
		v.Scheme = schemes[0].Scheme
	}
	if _, asked := in["q"]; asked {
		if blank(v.Purpose) {
			v.Errors["purpose"] = q.msgs.Text("err.purpose")
		}
		if v.Found, err = s.svc.Find(ctx, v.Scheme, v.Q); err != nil && !v.Errors.take(q, err, map[string]string{"q": "q"}) {
			return v, err
		}
	}
	id, err := strconv.ParseInt(in.Get("subject"), 10, 64)
	if err != nil || len(v.Errors) > 0 {
		return v, nil
	}
	if v.Person, err = s.svc.FoundByID(ctx, v.Scheme, id); err != nil {
		return v, err
	}
	read := ledger.WithPurpose(ctx, v.Purpose)
	v.Score, err = s.svc.Explain(read, v.Scheme, v.Person.Identifier, s.svc.Now())
	if err != nil {
		if !v.Errors.take(q, err, map[string]string{"purpose": "purpose"}) {
			return v, err
		}
		return v, nil
	}
	history, err := s.svc.History(read, v.Scheme, v.Person.Identifier, 0, ledger.MaxPage)
	if err != nil {
		return v, err
	}
	state := url.Values{"scheme": {v.Scheme}, "q": {v.Q}, "purpose": {v.Purpose}, "subject": {in.Get("subject")}, "page": {in.Get("page")}}
	v.History, v.Pages = paged(standalone(history, plainEntry), "/review/person", state, "page", "history")
	return v, nil
}
