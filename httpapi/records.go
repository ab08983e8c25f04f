package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
	"github.com/tallycredit/tally/wire"
)

func (s *Server) addSubject(r *http.Request) (int, any, error) {
	var in wire.SubjectRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	v, err := s.svc.AddSubject(r.Context(), ledger.NewSubject{Kind: in.Kind, Identifier: in.ID, Name: in.Name})
	if err != nil {
		return 0, nil, err
	}
	if v.Existed {
		return http.StatusOK, v, nil
	}
	return http.StatusCreated, v, nil
}

// importSubjects adds and enrols the subjects of a CSV body.
func (s *Server) importSubjects(r *http.Request) (int, any, error) {
	rep, err := s.svc.ImportPeople(r.Context(), r.Body, nil)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return 0, nil, readError(err)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, rep, nil
}

func (s *Server) enrol(r *http.Request) (int, any, error) {
	var in wire.EnrolRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.Consent == nil {
		return 0, nil, tally.FieldErrorf("consent", "say true or false: a person is scored only with consent")
	}
	v, err := s.svc.Enrol(r.Context(), ledger.Enrolment{Scheme: r.PathValue("scheme"), Identifier: in.Subject, Unit: in.Unit, Consent: *in.Consent, How: in.How})
	if err != nil {
		return 0, nil, err
	}
	if v.Existed {
		return http.StatusOK, v, nil
	}
	return http.StatusCreated, v, nil
}

// viewRecorded returns a record as the API shows it: the subject masked,
// and the rule's title.
func viewRecorded(r *ledger.Recorded) wire.Recorded {
	v := wire.Recorded{Record: r.Record, Subject: r.Subject, ReasonText: ledger.RecordReasonText(r.Record.Reason),
		Unchanged: r.Replayed, DryRun: r.DryRun, Pending: ledger.HoldReasonText(r.Pending).En}
	v.Record.Reason = v.ReasonText.En
	if r.Rule != nil {
		v.Title = r.Rule.Title
	}
	return v
}

func (s *Server) record(r *http.Request) (int, any, error) {
	var in wire.Conduct
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	scheme := r.PathValue("scheme")
	if in.At == "" {
		return 0, nil, tally.FieldErrorf("at", "say when the conduct happened")
	}
	loc, err := s.svc.Location(r.Context(), scheme)
	if err != nil {
		return 0, nil, err
	}
	at, err := ledger.ParseTime(in.At, loc, false)
	if err != nil {
		return 0, nil, tally.FieldErrorf("at", "%v", err)
	}
	if in.Facts == nil {
		in.Facts = map[string]any{}
	}
	c := ledger.Conduct{Scheme: scheme, Identifier: in.Subject, Rule: in.Rule, Facts: in.Facts, At: at, Ref: in.Ref, Evidence: in.Evidence}
	var out *ledger.Recorded
	if in.DryRun {
		out, err = s.svc.DryRun(r.Context(), c)
	} else {
		out, err = s.svc.Record(r.Context(), c)
	}
	if err != nil {
		return 0, nil, err
	}
	if out.Replayed || out.DryRun {
		return http.StatusOK, viewRecorded(out), nil
	}
	return http.StatusCreated, viewRecorded(out), nil
}

func (s *Server) reverse(r *http.Request) (int, any, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, nil, tally.Errorf(tally.ENotFound, "no record %q", r.PathValue("id"))
	}
	var in wire.ReversalRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.Reverse(r.Context(), ledger.Reversal{Scheme: r.PathValue("scheme"), Record: id, Reason: in.Reason, Ref: in.Ref})
	if err != nil {
		return 0, nil, err
	}
	if out.Replayed {
		return http.StatusOK, viewRecorded(out), nil
	}
	return http.StatusCreated, viewRecorded(out), nil
}

// importFormat is the format of an import body: as its Content-Type
// says, else as the format parameter says, else "" to tell it from the
// body.
func importFormat(r *http.Request) parse.Format {
	if f := parse.FormatOf("", r.Header.Get("Content-Type")); f != "" {
		return f
	}
	return parse.Format(r.URL.Query().Get("format"))
}

// importRecords records a CSV, JSON Lines or Excel workbook body. The report lists every
// bad row; good rows are kept. The status is 200 even with bad rows: the
// request itself succeeded, and the report says what happened to each row.
func (s *Server) importRecords(r *http.Request) (int, any, error) {
	format := importFormat(r)
	rep, err := s.svc.Import(r.Context(), r.Body, ledger.ImportOptions{Format: format})
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return 0, nil, readError(err)
	}
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, wire.ImportReport{Rows: rep.Rows, Recorded: rep.Recorded, Unchanged: rep.Replayed, Bad: rep.Bad}, nil
}
