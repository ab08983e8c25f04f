package httpapi

import (
	"net/http"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// closeRequest asks for a period to be closed.
type closeRequest struct {
	Period string `json:"period"`
}

// closed is a close and whether this request made it.
type closed struct {
	Close *tally.Close `json:"close"`
	Made  bool         `json:"made"`
}

// closePeriod closes a month: 201 when this request made the close, 200
// when it was there already (the same snapshot).
func (s *Server) closePeriod(r *http.Request) (int, any, error) {
	var in closeRequest
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
	return status, closed{c, made}, nil
}

// sheetView is a closed period without its rows: the totals (per unit
// and category, per category, and overall) and the late records.
type sheetView struct {
	tally.Close
	Totals     []tally.CategoryTotal `json:"totals"`
	ByCategory []tally.CategoryTotal `json:"by_category"`
	Total      tally.CategoryTotal   `json:"total"`
	Late       []ledger.LateEntry    `json:"late_records"`
}

func (s *Server) getClose(r *http.Request) (int, any, error) {
	sh, err := s.svc.Sheet(r.Context(), r.PathValue("scheme"), r.PathValue("period"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, sheetView{Close: sh.Close, Totals: sh.Totals, ByCategory: ledger.ByCategory(sh.Totals),
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

// issuedReport is what anyone holding a printed report may learn from
// its code: when and for what it was issued, about whom (masked), and the
// SHA-256 of the document, to compare with the paper.
type issuedReport struct {
	tally.IssuedReport
	Genuine bool `json:"genuine"`
}

func (s *Server) getReport(r *http.Request) (int, any, error) {
	rep, err := s.svc.VerifyReport(r.Context(), r.PathValue("code"))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, issuedReport{*rep, true}, nil
}
