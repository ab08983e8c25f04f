package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// meRepairs keeps, for each of the resident's deductions, their latest
// repair application, so the page shows its state next to the deduction.
func (s *Server) meRepairs(r *http.Request, v *meView) error {
	ps, err := s.svc.Repairs(r.Context(), ledger.RepairQuery{})
	if err != nil {
		return err
	}
	v.Repairs = map[int64]tally.Repair{}
	for _, p := range ps { // oldest first: the latest stays
		v.Repairs[p.RecordID] = p
	}
	return nil
}

// meRepair applies for credit repair of one of the resident's deductions,
// with what they did to put it right and an optional evidence note. A
// refusal shows again next to the form; one made because the day a repair
// may be applied for has not come says that day in the page's language.
func (s *Server) meRepair(w http.ResponseWriter, r *http.Request, q *req) {
	self, err := s.svc.Me(r.Context())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	scheme := r.PostFormValue("scheme")
	record, _ := strconv.ParseInt(plain(r.PostFormValue("record")), 10, 64)
	obligations := strings.TrimSpace(r.PostFormValue("obligations"))
	if obligations != "" {
		if note := strings.TrimSpace(r.PostFormValue("evidence")); note != "" {
			obligations += "；" + q.msgs.Text("me.repair_evidence_note", note)
		}
		var p *tally.Repair
		p, err = s.svc.ApplyRepair(r.Context(), ledger.RepairInput{Scheme: scheme, Identifier: self.Identifier, Record: record, Obligations: obligations})
		if err == nil {
			http.Redirect(w, r, "/me?"+url.Values{"repaired": {strconv.FormatInt(p.ID, 10)}}.Encode()+"#scheme-"+scheme, http.StatusSeeOther)
			return
		}
	}
	v, verr := s.me(r, q)
	if verr != nil {
		s.failErr(w, r, q, verr)
		return
	}
	v.RepairFailed = record
	switch {
	case err == nil:
		v.Errors["obligations"] = q.msgs.Text("err.required")
	case tally.ErrorCodeOf(err) == tally.EInvalid && v.repairableLater(scheme, record, s.svc.Now()) != "":
		v.Errors["obligations"] = q.msgs.Text("me.repair_too_early", v.repairableLater(scheme, record, s.svc.Now()))
	case !v.Errors.take(q, err, map[string]string{"obligations": "obligations"}):
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "me", v)
}

// repairableLater is the local day from which a deduction on the page may
// be repaired, if that day is still to come; "" otherwise.
func (v *meView) repairableLater(scheme string, record int64, now time.Time) string {
	for _, card := range v.Schemes {
		if card.Enrolment.Scheme != scheme || card.Outlook == nil {
			continue
		}
		for _, p := range card.Outlook.Repairs {
			if p.ID == record && now.Before(p.From) {
				return localtime.Date(p.From, p.From.Location())
			}
		}
	}
	return ""
}
