package web

import (
	"net/http"
)

// meReport issues the signed-in resident's own credit report, the one the
// kiosk and `tally report` print, in the page's language. The report is
// always the resident's: the form names no one. The ledger logs the issue
// in the resident's access log as their own read, with the page's purpose.
func (s *Server) meReport(w http.ResponseWriter, r *http.Request, q *req) {
	if s.opts.Reports == nil {
		s.fail(w, r, q, http.StatusNotFound, q.msgs.Text("error.not_found_page"))
		return
	}
	self, err := s.svc.Me(r.Context())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	issued, doc, err := s.opts.Reports.Issue(r.Context(), self.Identifier, q.msgs.Text("me.report_purpose"), q.lang)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	sendReport(w, issued.Code, doc)
}

// sendReport answers with an issued report's PDF, never cached.
func sendReport(w http.ResponseWriter, code string, doc []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `inline; filename="credit-report-`+code+`.pdf"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(doc)
}
