package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
)

// SpecialReportYears is how far back a special credit report may reach
// (发改财金〔2025〕565号: the subject chooses a period of up to 5 years).
const SpecialReportYears = 5

// ListsArea is the area of a special credit report that holds court-list
// entries.
const ListsArea = "lists"

// SpecialRequest asks for a special credit report (专项信用报告), which
// replaced "no violation" certificates: the subject chooses the areas and
// the period. Areas are schemes ("jiakuang-majia"), a scheme's rule
// categories ("jiakuang-majia/environment") or ListsArea; none means every
// area. To zero means now. Authorisation is the reference of the
// subject's written authorisation when anyone but the subject asks.
type SpecialRequest struct {
	Identifier    string
	Areas         []string
	From, To      time.Time
	Purpose       string
	Authorisation string
	Lang          string
}

// SetDays sets the request's period from two days as typed (any form
// localtime.ParseDate reads, in Beijing time): from the start of the
// first to the end of the last; an empty last day means today.
func (r *SpecialRequest) SetDays(from, to string) error {
	first, err := localtime.ParseDate(from, nil)
	if err != nil {
		return tally.FieldErrorf("from", "%v", err)
	}
	r.From, r.To = first, time.Time{}
	if strings.TrimSpace(to) == "" {
		return nil
	}
	last, err := localtime.ParseDate(to, nil)
	if err != nil {
		return tally.FieldErrorf("to", "%v", err)
	}
	r.To = last.AddDate(0, 0, 1).Add(-time.Nanosecond)
	return nil
}

// SelfRequested is the authorisation recorded when the subject asks for
// its own special report.
const SelfRequested = "本人申请 / requested by the subject"

// IssueSpecialReport issues a special credit report as IssueReport issues
// a full one (same seal, same verification), covering only the request's
// areas and period; the access-log entry names the scope and the
// authorisation. A period reaching back more than SpecialReportYears, an
// unknown area, or an admin's request without an authorisation reference
// is EInvalid.
func (s *Service) IssueSpecialReport(ctx context.Context, req SpecialRequest, finish Finish) (*tally.IssuedReport, []byte, error) {
	a := ActorOf(ctx)
	if err := s.mayReport(a, req.Identifier); err != nil {
		return nil, nil, err
	}
	req.Authorisation = strings.TrimSpace(req.Authorisation)
	if a.Role == tally.SubjectR {
		req.Authorisation = SelfRequested
	}
	if req.Authorisation == "" {
		return nil, nil, tally.FieldErrorf("authorisation", "%s", bilingual("special.authorisation_required"))
	}
	if err := tally.CheckText("authorisation", req.Authorisation, tally.Limits.Purpose, false); err != nil {
		return nil, nil, err
	}
	now := s.now()
	if req.To.IsZero() || req.To.After(now) {
		req.To = now
	}
	earliest := now.AddDate(-SpecialReportYears, 0, 0)
	switch {
	case req.From.Before(localtime.StartOfDay(earliest, req.From.Location())):
		return nil, nil, tally.FieldErrorf("from", "%s", bilingual("special.too_long", SpecialReportYears, localtime.Date(earliest, req.From.Location())))
	case !req.From.Before(req.To):
		return nil, nil, tally.FieldErrorf("from", "%s", bilingual("special.from_after_to"))
	}
	build := func(tx Tx, purpose string) (*Report, *tally.Subject, error) {
		return s.specialReport(ctx, tx, req, purpose)
	}
	detail := func(r *Report) string {
		sc := r.Special
		return accessDetail("special-report-issued", r.Code, strings.Join(sc.Areas, ", "),
			localtime.Date(sc.From, sc.From.Location()), localtime.Date(sc.To, sc.From.Location()), sc.Authorisation)
	}
	return s.issue(ctx, req.Purpose, req.Lang, build, "special-report", detail, finish)
}

// bilingual is a catalogue text in Chinese, then English: refusals the
// desk, the resident and the API client each read in their language.
func bilingual(key string, args ...any) string {
	t := message(key, args...)
	return t.Zh + " / " + t.En
}

// specialReport gathers a special report's content in tx: the full
// report's header, then per chosen scheme every record of the chosen
// areas that happened in the period (reversed ones are gone, repaired
// and disputed ones marked), the list entries in force at some time in
// it, and the objections to what it lists.
func (s *Service) specialReport(ctx context.Context, tx Tx, req SpecialRequest, purpose string) (*Report, *tally.Subject, error) {
	rep, subj, err := s.report(ctx, tx, req.Identifier, purpose, req.Lang)
	if err != nil {
		return nil, nil, err
	}
	loc := rep.IssuedAt.Location()
	scope := &tally.ReportScope{From: req.From.In(loc), To: req.To.In(loc), Authorisation: req.Authorisation}
	rep.Special = scope
	areas := map[string]bool{}
	for _, a := range req.Areas {
		if a = strings.TrimSpace(a); a != "" {
			areas[a] = true
		}
	}
	all := len(areas) == 0
	known := map[string]bool{}
	inScope := map[int64]bool{}
	for i := range rep.Schemes {
		rs := &rep.Schemes[i]
		vs, err := s.versions(ctx, tx, rs.Scheme)
		if err != nil {
			return nil, nil, err
		}
		book := vs[len(vs)-1].Book
		wanted := map[string]bool{}
		whole := all || areas[rs.Scheme]
		if whole {
			known[rs.Scheme] = true
			scope.Areas = append(scope.Areas, rs.Scheme)
			scope.AreaNames = append(scope.AreaNames, book.Name)
		}
		for _, c := range book.Categories {
			if code := rs.Scheme + "/" + c.Code; areas[code] {
				known[code], wanted[c.Code] = true, true
				if !whole {
					scope.Areas = append(scope.Areas, code)
					scope.AreaNames = append(scope.AreaNames, tally.Text{Zh: book.Name.Zh + "：" + c.Title.Zh, En: book.Name.En + ": " + c.Title.En})
				}
			}
		}
		rs.InEffect = []Entry{}
		if !whole && len(wanted) == 0 {
			continue
		}
		records, err := allRecords(ctx, tx, rs.Scheme, subj.ID)
		if err != nil {
			return nil, nil, err
		}
		for _, r := range records {
			if r.HappenedAt.Before(scope.From) || r.HappenedAt.After(scope.To) {
				continue
			}
			e := entry(vs, r)
			if whole || wanted[e.Category] {
				rs.InEffect = append(rs.InEffect, e)
				inScope[e.ID] = true
			}
		}
		if err := markDue(ctx, tx, rs.Scheme, subj.ID, rs.InEffect); err != nil {
			return nil, nil, err
		}
		if err := markDisputed(ctx, tx, s.now(), pointers(rs.InEffect)...); err != nil {
			return nil, nil, err
		}
	}
	rep.Schemes = slices.DeleteFunc(rep.Schemes, func(rs ReportScheme) bool {
		return !all && !known[rs.Scheme] && !slices.ContainsFunc(scope.Areas, func(a string) bool { return strings.HasPrefix(a, rs.Scheme+"/") })
	})
	if err := s.specialLists(ctx, tx, rep, subj, all || areas[ListsArea]); err != nil {
		return nil, nil, err
	}
	if all || areas[ListsArea] {
		known[ListsArea] = true
		scope.Areas = append(scope.Areas, ListsArea)
		scope.AreaNames = append(scope.AreaNames, message("special.lists_area"))
	}
	for a := range areas {
		if !known[a] {
			return nil, nil, tally.FieldErrorf("areas", "%s", bilingual("special.unknown_area", a))
		}
	}
	rep.Objections = slices.DeleteFunc(rep.Objections, func(o ReportObjection) bool { return !inScope[o.Record] })
	return rep, subj, nil
}

// specialLists keeps in a special report the subject's list entries in
// force at some time in its period (none unless wanted), each marked when
// under objection.
func (s *Service) specialLists(ctx context.Context, tx Tx, rep *Report, subj *tally.Subject, wanted bool) error {
	rep.Lists = []ReportListing{}
	if !wanted {
		return nil
	}
	entries, err := tx.ListEntriesOf(ctx, subj.ID)
	if err != nil {
		return err
	}
	disputed, err := disputedEntries(ctx, tx, subj.ID, s.now())
	if err != nil {
		return err
	}
	loc, sc := rep.IssuedAt.Location(), rep.Special
	for _, le := range entries {
		if le.NoticeServed.After(sc.To) || !le.Until().After(sc.From) {
			continue
		}
		rep.Lists = append(rep.Lists, ReportListing{ID: le.ID, List: le.List, CaseNumber: le.CaseNumber, Court: le.Court,
			Basis: le.Basis, Since: le.NoticeServed.In(loc), Until: le.Until().In(loc), Disputed: disputed.Entry(le.ID)})
	}
	return nil
}

// scopeOf reads a special report's scope back from its stored content
// (nil for a full report).
func scopeOf(content []byte) (*tally.ReportScope, error) {
	if len(content) == 0 {
		return nil, nil
	}
	var c struct {
		Special *tally.ReportScope `json:"special"`
	}
	if err := json.Unmarshal(content, &c); err != nil {
		return nil, fmt.Errorf("report content: %w", err)
	}
	return c.Special, nil
}
