package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
	"github.com/tallycredit/tally/web/chart"
)

// meView is a resident's own page: each scheme they are enrolled in, and
// who looked at their record.
type meView struct {
	Self *ledger.Self
	// SelfLogAt is where the resident's own subject entry, which ties
	// their records to their ID number and name, is in the public log;
	// nil when the log does not hold it.
	SelfLogAt *logPosition
	Schemes   []schemeCard
	Access    []accessRow
	OwnViews  int // the resident's own reads, kept in the log but not listed
	// Eligibility is every measure of the sanctions catalogue: allowed,
	// or denied with every reason and how to lift it.
	Eligibility []ledger.Eligibility
	// ListLogAt is where the list entries behind Eligibility's reasons
	// are in the public log, by entry ID.
	ListLogAt map[int64]*logPosition
	// Objections are the resident's own objections and appeals, with
	// their deadlines and decisions.
	Objections []ledger.ObjectionView
	Objected   int64 // the objection just filed
	Failed     int64 // the record (or minus the objection) whose form failed
	Errors     fieldErrors
	// Reports says whether the page can issue the resident's own credit
	// report (the pages have a font and a signing key).
	Reports bool
	// Special is the special credit report form: the areas and period
	// chosen, or the defaults.
	Special specialForm
	// Notices are the resident's newest notices, each acknowledged or
	// with the form to acknowledge it.
	Notices []noticeView
	// Repairs are the latest repair application of each deduction, by
	// record; Repaired the one just sent, RepairFailed the record whose
	// repair form failed.
	Repairs      map[int64]tally.Repair
	Repaired     int64
	RepairFailed int64
}

// schemeCard is one scheme on a resident's page.
type schemeCard struct {
	Enrolment tally.Enrolment
	Book      *rulebook.Book
	Score     *ledger.Explanation
	History   []ledger.Entry
	// LogAt is where each record of History is in the public log, by
	// record ID; a record the log does not hold has none.
	LogAt     map[int64]*logPosition
	Chart     template.HTML
	Trend     []ledger.TrendPoint
	Outlook   *ledger.Outlook // what would change the grade
	Published bool            // agreed to appear on the scheme's honour board
}

// maxAccessShown is how many access-log entries the page shows, newest
// first.
const maxAccessShown = 50

// mePage shows a resident their scores with reasons, what would change
// their grade, a year's trend,
// every record with its rule, basis, evidence and expiry, and who read
// their record.
func (s *Server) mePage(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.me(r, q)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.Objected, _ = strconv.ParseInt(r.URL.Query().Get("objected"), 10, 64)
	v.Repaired, _ = strconv.ParseInt(r.URL.Query().Get("repaired"), 10, 64)
	s.render(w, r, q, http.StatusOK, "me", v)
}

// me builds a resident's page.
func (s *Server) me(r *http.Request, q *req) (meView, error) {
	ctx := r.Context()
	self, err := s.svc.Me(ctx)
	if err != nil {
		return meView{}, err
	}
	v := meView{Self: self, Errors: fieldErrors{}, Reports: s.opts.Reports != nil,
		Special: specialDefaults(s.svc.Now().In(localtime.Default()))}
	selfAt, err := s.logPositions(ctx, ledger.LogSubject, []int64{self.Subject.ID})
	if err != nil {
		return v, err
	}
	v.SelfLogAt = selfAt[self.Subject.ID]
	now := s.svc.Now()
	for _, e := range self.Schemes {
		card := schemeCard{Enrolment: e}
		if card.Book, err = s.svc.BookInForce(ctx, e.Scheme, now); err != nil {
			return v, err
		}
		if card.Score, err = s.svc.Explain(ctx, e.Scheme, self.Identifier, now); err != nil {
			return v, err
		}
		if card.History, err = s.svc.History(ctx, e.Scheme, self.Identifier, 0, ledger.MaxPage); err != nil {
			return v, err
		}
		slices.Reverse(card.History)
		ids := make([]int64, len(card.History))
		for i, e := range card.History {
			ids[i] = e.ID
		}
		if card.LogAt, err = s.logPositions(ctx, ledger.LogRecord, ids); err != nil {
			return v, err
		}
		if card.Trend, err = s.svc.Trend(ctx, e.Scheme, self.Identifier, monthEnds(now.In(card.Book.Location), 12)); err != nil {
			return v, err
		}
		card.Chart = trendChart(q, card.Book, card.Trend)
		if card.Outlook, err = s.svc.Outlook(ctx, e.Scheme, self.Identifier, now); err != nil {
			return v, err
		}
		if card.Published, err = s.svc.Publication(ctx, e.Scheme, self.Identifier); err != nil {
			return v, err
		}
		v.Schemes = append(v.Schemes, card)
	}
	v.Eligibility, err = s.svc.Eligibilities(ctx, self.Identifier, nil, now)
	if err != nil && tally.ErrorCodeOf(err) != tally.ENotFound { // no catalogue published: nothing to show
		return v, err
	}
	if v.ListLogAt, err = s.logPositions(ctx, ledger.LogListEntry, entryIDs(v.Eligibility)); err != nil {
		return v, err
	}
	loc := time.UTC
	if len(v.Schemes) > 0 {
		loc = v.Schemes[0].Book.Location
	}
	access, own, err := s.latestAccess(r, self.Identifier, loc)
	if err != nil {
		return v, err
	}
	v.OwnViews = own
	if v.Access, err = s.accessRows(ctx, access); err != nil {
		return v, err
	}
	if v.Objections, err = s.svc.Objections(ctx, ledger.ObjectionQuery{}); err != nil {
		return v, err
	}
	slices.Reverse(v.Objections)
	if err := s.meNotices(r, &v); err != nil {
		return v, err
	}
	return v, s.meRepairs(r, &v)
}

// latestAccess reads a subject's access log and keeps the newest entries
// by others, with times in loc, and counts the subject's own reads (the
// log keeps them: a stolen password would show there).
func (s *Server) latestAccess(r *http.Request, identifier string, loc *time.Location) ([]ledger.AccessEntry, int, error) {
	var all []ledger.AccessEntry
	own := 0
	for after := int64(0); ; {
		page, err := s.svc.AccessLog(r.Context(), identifier, after, ledger.MaxPage)
		if err != nil {
			return nil, 0, err
		}
		for _, e := range page {
			if e.Role == tally.SubjectR {
				own++
			} else {
				all = append(all, e)
			}
		}
		if len(all) > maxAccessShown {
			all = all[len(all)-maxAccessShown:]
		}
		if len(page) < ledger.MaxPage {
			break
		}
		after = page[len(page)-1].ID
	}
	slices.Reverse(all)
	for i := range all {
		all[i].At = all[i].At.In(loc)
	}
	return all, own, nil
}

// monthEnds returns the last instant of each of the n months before now's
// month, then now: the points of a year's chart.
func monthEnds(now time.Time, n int) []time.Time {
	var out []time.Time
	first := localtime.StartOfMonth(now, now.Location())
	for i := n; i >= 1; i-- {
		out = append(out, first.AddDate(0, -i+1, 0).Add(-time.Second))
	}
	return append(out, now)
}

// trendChart draws a score over the year, with the grade thresholds.
func trendChart(q *req, book *rulebook.Book, trend []ledger.TrendPoint) template.HTML {
	c := chart.LineChart{Title: q.msgs.Text("me.trend"), Desc: q.msgs.Text("me.trend_desc"), YLabel: q.msgs.Text("me.score")}
	for _, p := range trend {
		if p.Score.Score == nil {
			continue
		}
		c.Points = append(c.Points, chart.Point{Label: p.At.Format("2006-01"), Value: float64(*p.Score.Score)})
	}
	if len(c.Points) == 0 {
		c.Desc = q.msgs.Text("me.trend_none")
	}
	for _, g := range book.Grades {
		if g.HasMin {
			c.Bands = append(c.Bands, chart.Band{From: float64(g.Min), Label: g.Grade})
		}
	}
	return chart.Line(c)
}

// consent records a resident's own decision to be scored, or not.
func (s *Server) consent(w http.ResponseWriter, r *http.Request, q *req) {
	self, err := s.svc.Me(r.Context())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	given := r.PostFormValue("given") == "true"
	if err := s.svc.SetConsent(r.Context(), r.PostFormValue("scheme"), self.Identifier, given, "own web page"); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// publication records a resident's own decision to appear on a scheme's
// honour board, or no longer to.
func (s *Server) publication(w http.ResponseWriter, r *http.Request, q *req) {
	self, err := s.svc.Me(r.Context())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	given := r.PostFormValue("given") == "true"
	if err := s.svc.SetPublication(r.Context(), r.PostFormValue("scheme"), self.Identifier, given, "own web page"); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// logPosition is an entry's place in the public log, and where its
// inclusion proof is served.
type logPosition struct {
	Index int64
	Proof string
}

// logPositions returns where each entry of kind, by ID, is in the public
// log; entries not logged are left out.
func (s *Server) logPositions(ctx context.Context, kind ledger.LogKind, ids []int64) (map[int64]*logPosition, error) {
	refs := make([]ledger.LogRef, len(ids))
	for i, id := range ids {
		refs[i] = ledger.LogRef{Kind: kind, Ref: strconv.FormatInt(id, 10)}
	}
	at, err := s.svc.LogPositions(ctx, refs)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*logPosition, len(at))
	for i, id := range ids {
		if n, ok := at[refs[i]]; ok {
			out[id] = &logPosition{Index: n, Proof: "/api/v1/log/proof?" + url.Values{"kind": {string(kind)}, "ref": {refs[i].Ref}}.Encode()}
		}
	}
	return out, nil
}

// entryIDs returns the IDs of the list entries behind the reasons.
func entryIDs(measures []ledger.Eligibility) []int64 {
	var ids []int64
	for _, m := range measures {
		for _, r := range m.Reasons {
			if r.EntryID != 0 && !slices.Contains(ids, r.EntryID) {
				ids = append(ids, r.EntryID)
			}
		}
	}
	return ids
}
