package web

import (
	"context"
	"net/http"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

// verifyPage tells whoever holds a printed report what was issued under
// its code, typed into the form (?code=) or carried by the QR code
// (/verify/{code}); without a code it shows the form. Codes are matched
// however they were typed: lowercase, with spaces or full-width.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	ctx := r.Context()
	if q.actor == nil {
		ctx = ledger.WithActor(ctx, &tally.Actor{Name: "public", Role: tally.Public})
	}
	typed := r.PathValue("code")
	if typed == "" {
		typed = r.URL.Query().Get("code")
	}
	v := verifyView{Code: plainCode(typed), PublicKey: s.reportPublicKey(ctx)}
	if v.Code == "" {
		s.render(w, r, q, http.StatusOK, "verify", v)
		return
	}
	issued, err := s.svc.VerifyReport(ctx, v.Code)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		s.render(w, r, q, http.StatusNotFound, "verify", v)
		return
	}
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.Code, v.Issued = issued.Code, issued
	if v.Log, err = s.svc.VerifyReportLog(ctx, issued.Code); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, "verify", v)
}

// reportPublicKey is the public key (hex) that checks the signature of
// this deployment's reports offline, or "" when it has none yet.
func (s *Server) reportPublicKey(ctx context.Context) string {
	if s.opts.Reports != nil && s.opts.Reports.Key != nil {
		return report.PublicKeyText(s.opts.Reports.Public())
	}
	key, err := s.svc.ReportPublicKey(ctx)
	if err != nil {
		return ""
	}
	return key
}

type verifyView struct {
	Code      string // as typed, made plain; "" before anything was typed
	Issued    *tally.IssuedReport
	PublicKey string
	// Log is the check of the report's proofs that its entries are in
	// the public log and still as logged.
	Log *ledger.ReportLogCheck
}
