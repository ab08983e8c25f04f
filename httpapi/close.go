package httpapi

import (
	"cmp"
	"net/http"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// closePeriod closes a month: 201 when this request made the close, 200
// when it was there already (the same snapshot).
func (s *Server) closePeriod(r *http.Request) (int, any, error) {
	var in wire.CloseRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	c, made, err := s.svc.Close(r.Context(), r.PathValue("scheme"), in.Period, nil)
	if err != nil {
		return 0, nil, err
	}
	status := http.StatusOK
	if made {
		status = http.StatusCreated
	}
	return status, wire.Closed{Close: c, Made: made}, nil
}

func (s *Server) getClose(r *http.Request) (int, any, error) {
	sh, err := s.svc.Sheet(r.Context(), r.PathValue("scheme"), r.PathValue("period"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.Sheet{Close: sh.Close, Totals: sh.Totals, ByCategory: ledger.ByCategory(sh.Totals),
		Total: ledger.Sum(sh.Totals), Late: sh.Late}, nil
}

func (s *Server) closeRows(r *http.Request) (int, any, error) {
	return idPage(r, func(after int64, limit int) ([]tally.CloseRow, error) {
		return s.svc.CloseRows(r.Context(), r.PathValue("scheme"), r.PathValue("period"), after, limit)
	}, func(row tally.CloseRow) int64 { return row.SubjectID })
}

// board is public: it names only subjects who agreed to be named.
func (s *Server) board(r *http.Request) (int, any, error) {
	top := 0
	if v := r.URL.Query().Get("top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return 0, nil, tally.FieldErrorf("top", "%q: want 1 to 1000", v)
		}
		top = n
	}
	b, err := s.svc.HonourBoard(r.Context(), r.PathValue("scheme"), r.PathValue("period"), top)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, b, nil
}

func (s *Server) getReport(r *http.Request) (int, any, error) {
	rep, err := s.svc.VerifyReport(r.Context(), r.PathValue("code"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.Report{IssuedReport: *rep, Genuine: true}, nil
}

// specialReport issues a special credit report on the request's areas and
// period, sealed as every report is.
func (s *Server) specialReport(r *http.Request) (int, any, error) {
	if s.cfg.Reports == nil {
		return 0, nil, tally.Errorf(tally.EUnavailable, "this server issues no reports: start it with a report font and signing key")
	}
	var in wire.SpecialReportRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	req := ledger.SpecialRequest{Identifier: in.Subject, Areas: in.Areas, Purpose: in.Purpose,
		Authorisation: in.Authorisation, Lang: cmp.Or(in.Lang, "zh")}
	if err := req.SetDays(in.From, in.To); err != nil {
		return 0, nil, err
	}
	issued, doc, err := s.cfg.Reports.IssueSpecial(r.Context(), req)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, wire.SpecialReport{Report: wire.Report{IssuedReport: *issued, Genuine: true}, Document: doc}, nil
}
