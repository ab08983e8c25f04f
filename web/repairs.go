package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Repairs on the pages: a reviewer records a resident's application to
// end a deduction early from the person page, and another reviewer
// approves or refuses it, with written reasons, from the review queue.
// The ledger decides who may: nobody decides an application they made,
// or one about them, and the page says so when they try.

// repairView is an open repair application with the person it is about.
type repairView struct {
	tally.Repair
	Person *ledger.Found
	Barred bool // the reader took part in its case or is its subject
}

// repairQueue fills the review page with a page of the scheme's open
// repair applications, oldest first.
func (s *Server) repairQueue(r *http.Request, v *reviewView, state url.Values) error {
	open, err := s.svc.Repairs(r.Context(), ledger.RepairQuery{Scheme: v.Scheme, Open: true})
	if err != nil {
		return err
	}
	for _, p := range pageOf(v, open, state, "repairs") {
		person, err := s.svc.FoundByID(r.Context(), p.Scheme, p.SubjectID)
		if err != nil {
			return err
		}
		barredHere, err := barred(s.svc.MayDecideRepair(r.Context(), p.ID))
		if err != nil {
			return err
		}
		v.Repairs = append(v.Repairs, repairView{Repair: p, Person: person, Barred: barredHere})
	}
	return nil
}

// reviewDecideRepair approves or refuses a repair application with the
// reviewer's reasons.
func (s *Server) reviewDecideRepair(w http.ResponseWriter, r *http.Request, q *req) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	reasons := r.PostFormValue("reasons")
	var err error
	if !blank(reasons) {
		if _, err = s.svc.DecideRepair(r.Context(), id, r.PostFormValue("decision") == "approve", reasons); err == nil {
			back := reviewState(r, r.PostFormValue("scheme"))
			back.Set("repair_decided", r.PathValue("id"))
			http.Redirect(w, r, "/review?"+back.Encode()+"#repairs", http.StatusSeeOther)
			return
		}
	}
	s.reviewAgain(w, r, q, func(v *reviewView) { v.FailedRepair = id }, err, "reasons", map[string]string{"reasons": "reasons"})
}

// reviewApplyRepair records, from the person page, a resident's
// application to repair one of their deductions, with how they met its
// obligations.
func (s *Server) reviewApplyRepair(w http.ResponseWriter, r *http.Request, q *req) {
	scheme := r.PostFormValue("scheme")
	subject, _ := strconv.ParseInt(plain(r.PostFormValue("subject")), 10, 64)
	record, _ := strconv.ParseInt(plain(r.PostFormValue("record")), 10, 64)
	person, err := s.svc.FoundByID(r.Context(), scheme, subject)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	obligations := r.PostFormValue("obligations")
	if !blank(obligations) {
		var p *tally.Repair
		p, err = s.svc.ApplyRepair(r.Context(), ledger.RepairInput{Scheme: scheme, Identifier: person.Identifier, Record: record, Obligations: obligations})
		if err == nil {
			http.Redirect(w, r, "/review?"+url.Values{"scheme": {scheme}, "repair_applied": {strconv.FormatInt(p.ID, 10)}}.Encode()+"#repairs", http.StatusSeeOther)
			return
		}
	}
	v, verr := s.lookUp(r, q, r.PostForm)
	if verr != nil {
		s.failErr(w, r, q, verr)
		return
	}
	v.FailedRecord = record
	if err == nil {
		v.Errors["obligations"] = q.msgs.Text("err.required")
	} else if !v.Errors.take(q, err, map[string]string{"obligations": "obligations", "record": "obligations"}) {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "person", v)
}
