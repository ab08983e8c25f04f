package httpapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

func (s *Server) getCatalogue(r *http.Request) (int, any, error) {
	cat, v, err := s.svc.Catalogue(r.Context())
	if err != nil {
		return 0, nil, err
	}
	lists := make([]wire.List, len(cat.Lists))
	for i, l := range cat.Lists {
		lists[i] = wire.List{List: l, Term: l.Term.String()}
		if l.Statement.Days > 0 {
			lists[i].Statement = l.Statement.String()
		}
	}
	return http.StatusOK, wire.Catalogue{Version: v, Lists: lists, Measures: cat.Measures, Sanctions: cat.Sanctions}, nil
}

// catalogueTime reads a date or time in the catalogue's time zone; a
// missing value is the zero time, for the ledger to refuse with its reason.
func (s *Server) catalogueTime(r *http.Request, field, v string) (time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, nil
	}
	cat, _, err := s.svc.Catalogue(r.Context())
	if err != nil {
		return time.Time{}, err
	}
	t, err := ledger.ParseTime(v, cat.Location, false)
	if err != nil {
		return time.Time{}, tally.FieldErrorf(field, "%v", err)
	}
	return t, nil
}

func (s *Server) addListEntry(r *http.Request) (int, any, error) {
	var in wire.ListingRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	decided, err := s.catalogueTime(r, "decided", in.Decided)
	if err != nil {
		return 0, nil, err
	}
	notice, err := s.catalogueTime(r, "notice", in.Notice)
	if err != nil {
		return 0, nil, err
	}
	v, err := s.svc.List(r.Context(), ledger.Listing{List: r.PathValue("list"), Identifier: in.Subject, Name: in.Name,
		CaseNumber: in.CaseNumber, Court: in.Court, DecidedOn: decided, NoticeServed: notice, Grounds: in.Grounds,
		Basis: in.Basis, Aggravation: in.Aggravation})
	switch {
	case err != nil:
		return 0, nil, err
	case v.Proposal != nil: // a list with a statement period: proposed, not yet listed
		return http.StatusAccepted, v.Proposal, nil
	case v.Existed:
		return http.StatusOK, v, nil
	}
	return http.StatusCreated, v, nil
}

func (s *Server) removeListEntry(r *http.Request) (int, any, error) {
	var in wire.RemovalRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	on, err := s.catalogueTime(r, "on", in.On)
	if err != nil {
		return 0, nil, err
	}
	v, err := s.svc.Remove(r.Context(), ledger.Removal{List: r.PathValue("list"), CaseNumber: in.CaseNumber,
		Reason: tally.RemovalReason(in.Reason), On: on, Note: in.Note})
	if err != nil {
		return 0, nil, err
	}
	if v.Existed {
		return http.StatusOK, v, nil
	}
	return http.StatusCreated, v, nil
}

// importListEntries lists the rows of a court's CSV, JSON Lines or Excel
// workbook body;
// the report names every bad row. With ?snapshot=LIST the body is the full
// snapshot of that list: its entries the body no longer names are revoked.
func (s *Server) importListEntries(r *http.Request) (int, any, error) {
	format := importFormat(r)
	var (
		rep *ledger.ListImportReport
		err error
	)
	if list := r.URL.Query().Get("snapshot"); list != "" {
		rep, err = s.svc.ImportListSnapshot(r.Context(), list, r.Body, format, nil)
	} else {
		rep, err = s.svc.ImportListings(r.Context(), r.Body, format, nil)
	}
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return 0, nil, readError(err)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, rep, nil
}

// revoke records a revoked or changed source decision and its cascade.
func (s *Server) revoke(r *http.Request) (int, any, error) {
	var in wire.RevocationRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	on, err := s.catalogueTime(r, "revoked_on", in.RevokedOn)
	if err != nil {
		return 0, nil, err
	}
	v, err := s.svc.Revoke(r.Context(), ledger.Revocation{Source: in.Source, Change: tally.SourceChange(in.Change), RevokedOn: on, Note: in.Note})
	if err != nil {
		return 0, nil, err
	}
	if v.Existed {
		return http.StatusOK, v, nil
	}
	return http.StatusCreated, v, nil
}

// cascades lists the recorded revocations; ?overdue=true only the overdue.
func (s *Server) cascades(r *http.Request) (int, any, error) {
	out, err := s.svc.Cascades(r.Context(), r.URL.Query().Get("overdue") == "true")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.Page[wire.Cascade]{Items: out}, nil
}

// eligibility answers whether a subject may have ?measure= at ?at= (now by
// default), with every reason; reads state a ?purpose=. Like a check, it
// cannot answer while the exchange that feeds the lists is quiet.
func (s *Server) eligibility(r *http.Request) (int, any, error) {
	if s.cfg.Checker != nil {
		if err := s.cfg.Checker.Heard(); err != nil {
			return 0, nil, err
		}
	}
	r = readContext(r)
	q := r.URL.Query()
	at, err := s.catalogueTime(r, "at", q.Get("at"))
	if err != nil {
		return 0, nil, err
	}
	if q.Get("measure") == "" {
		return 0, nil, tally.FieldErrorf("measure", "name the measure, such as air-travel")
	}
	out, err := s.svc.Eligibility(r.Context(), r.PathValue("subject"), q.Get("measure"), at)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

// checkError turns a check index that cannot answer into a 503: a check
// never answers "allowed" then.
func checkError(err error) error {
	if errors.Is(err, checkindex.ErrNotReady) {
		return newProblem(string(tally.EUnavailable), "", "problem.check_index_not_ready")
	}
	return err
}

func (s *Server) check(r *http.Request) (int, any, error) {
	var in wire.CheckRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if s.cfg.Checker == nil {
		return 0, nil, checkError(checkindex.ErrNotReady)
	}
	ctx := ledger.WithPurpose(r.Context(), in.Purpose)
	ans, err := s.cfg.Checker.Check(ctx, checkindex.CheckQuery{Identifier: in.Subject, Name: in.Name, Measure: in.Measure})
	if err != nil {
		return 0, nil, checkError(err)
	}
	return http.StatusOK, ans, nil
}

func (s *Server) checkBatch(r *http.Request) (int, any, error) {
	in, err := decodeBatch(r)
	if err != nil {
		return 0, nil, err
	}
	if s.cfg.Checker == nil {
		return 0, nil, checkError(checkindex.ErrNotReady)
	}
	qs := make([]checkindex.CheckQuery, len(in.Items))
	for i, it := range in.Items {
		qs[i] = checkindex.CheckQuery{Identifier: it.Subject, Name: it.Name}
	}
	ctx := ledger.WithPurpose(r.Context(), in.Purpose)
	out, err := s.cfg.Checker.CheckBatch(ctx, in.Measure, qs)
	if err != nil {
		return 0, nil, checkError(err)
	}
	items := make([]wire.BatchAnswer, len(out))
	for i, a := range out {
		items[i] = wire.BatchAnswer{Answer: a.Answer, Ref: a.Ref, Error: a.Error, Disputed: a.Disputed}
	}
	body, err := encodeBatchAnswers(wire.BatchAnswers{Measure: in.Measure, AsOf: s.svc.Now(), Items: items})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, body, nil
}

// checkStatistics reports the checks answered per measure and day: public
// aggregates, such as how many flight purchases were blocked.
func (s *Server) checkStatistics(r *http.Request) (int, any, error) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if to == "" {
		var err error
		if to, err = s.svc.CheckDay(r.Context(), s.svc.Now()); err != nil {
			return 0, nil, err
		}
	}
	if from == "" {
		from = to
	}
	var (
		counts []tally.CheckCount
		err    error
	)
	if s.cfg.Checker != nil {
		counts, err = s.cfg.Checker.CheckStatistics(r.Context(), from, to)
	} else {
		counts, err = s.svc.CheckStatistics(r.Context(), from, to)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.CheckStatistics{From: from, To: to, Counts: counts}, nil
}
