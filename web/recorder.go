package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
)

// findView is the recorder's start page: pick a scheme, find a person.
type findView struct {
	Schemes  []ledger.Version
	Scheme   string
	Q        string
	Found    []ledger.Found
	Searched bool
	Errors   fieldErrors
}

// findPage finds people to record for.
func (s *Server) findPage(w http.ResponseWriter, r *http.Request, q *req) {
	ctx := r.Context()
	schemes, err := s.schemesOf(ctx, q.actor)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := findView{Schemes: schemes, Scheme: r.URL.Query().Get("scheme"), Q: plain(r.URL.Query().Get("q")), Errors: fieldErrors{}}
	if v.Scheme == "" && len(schemes) > 0 {
		v.Scheme = schemes[0].Scheme
	}
	if _, ok := r.URL.Query()["q"]; ok {
		v.Searched = true
		v.Found, err = s.svc.Find(ctx, v.Scheme, v.Q)
		if err != nil && !v.Errors.take(q, err, map[string]string{"q": "q"}) {
			s.failErr(w, r, q, err)
			return
		}
	}
	s.render(w, r, q, http.StatusOK, "find", v)
}

// schemesOf lists the schemes an actor works in: those in its scope, or
// every scheme for an unscoped actor.
func (s *Server) schemesOf(ctx context.Context, a *tally.Actor) ([]ledger.Version, error) {
	all, err := s.svc.Schemes(ctx)
	if err != nil {
		return nil, err
	}
	var out []ledger.Version
	for _, v := range all {
		if a.InScheme(v.Scheme) {
			out = append(out, v)
		}
	}
	return out, nil
}

// rulesView is the list of rules a recorder may use for one person.
type rulesView struct {
	Scheme string
	Book   *rulebook.Book
	Person *ledger.Found
	Groups []ruleGroup
}

type ruleGroup struct {
	Category rulebook.Category
	Rules    []*rulebook.Rule
}

// rulesPage lists the rules the recorder may record, by category.
func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request, q *req) {
	person, book, err := s.person(r)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := rulesView{Scheme: r.PathValue("scheme"), Book: book, Person: person}
	for _, c := range book.Categories {
		g := ruleGroup{Category: c}
		for _, rule := range book.Rules {
			if rule.Category == c.Code && mayUse(q.actor, v.Scheme, rule) {
				g.Rules = append(g.Rules, rule)
			}
		}
		if len(g.Rules) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	s.render(w, r, q, http.StatusOK, "rules", v)
}

// mayUse asks the policy whether a may record rule in scheme, to offer
// only rules that will be accepted (the ledger still decides).
func mayUse(a *tally.Actor, scheme string, rule *rulebook.Rule) bool {
	return ledger.Allowed(a, ledger.OpRecord, ledger.Target{Scheme: scheme, Rule: rule.Code, Category: rule.Category})
}

// person reads the scheme and subject of the path: the person and the
// rulebook in force now.
func (s *Server) person(r *http.Request) (*ledger.Found, *rulebook.Book, error) {
	scheme := r.PathValue("scheme")
	id, err := strconv.ParseInt(r.PathValue("subject"), 10, 64)
	if err != nil {
		return nil, nil, tally.Errorf(tally.ENotFound, "no subject %q", r.PathValue("subject"))
	}
	person, err := s.svc.FoundByID(r.Context(), scheme, id)
	if err != nil {
		return nil, nil, err
	}
	book, err := s.svc.BookInForce(r.Context(), scheme, s.svc.Now())
	if err != nil {
		return nil, nil, err
	}
	return person, book, nil
}

// conductView is the form for one record, and its confirmation.
type conductView struct {
	Scheme  string
	Person  *ledger.Found
	Book    *rulebook.Book
	Rule    *rulebook.Rule
	Form    conductForm
	Errors  fieldErrors
	Preview *ledger.Recorded // the dry run, on the confirmation page
}

// conductForm returns the empty form, or one filled from the query: a
// form carried over a new sign-in, or "change" from the confirmation.
func (s *Server) conductForm(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.conduct(r, q)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if v.Form.Ref == "" {
		v.Form.Ref = newRef()
	}
	if v.Form.Date == "" {
		v.Form.Date = localtime.Date(s.svc.Now(), v.Book.Location)
	}
	s.render(w, r, q, http.StatusOK, "conduct", v)
}

// conductCheck checks the form, stores a photo if one came, and shows the
// points the record would give. Nothing is recorded yet.
func (s *Server) conductCheck(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.conduct(r, q)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if data, ok := q.files["photo"]; ok { // read by Server.upload
		v.Form.Photo, err = s.svc.SaveEvidence(r.Context(), v.Scheme, data)
		if err != nil && !v.Errors.take(q, err, map[string]string{"photo": "photo"}) {
			s.failErr(w, r, q, err)
			return
		}
	}
	if v.Rule.EvidenceRequired && v.Form.Note == "" && v.Form.Photo == "" {
		v.Errors["note"] = q.msgs.Text("err.evidence")
	}
	if len(v.Errors) == 0 {
		v.Preview, err = s.svc.DryRun(ledger.WithPurpose(r.Context(), "record"), v.Form.conduct(v, s.svc.Now()))
		if err != nil && !v.Errors.take(q, err, conductFields(v.Rule)) {
			s.failErr(w, r, q, err)
			return
		}
	}
	if len(v.Errors) > 0 {
		v.Preview = nil
		s.render(w, r, q, http.StatusUnprocessableEntity, "conduct", v)
		return
	}
	s.render(w, r, q, http.StatusOK, "confirm", v)
}

// conductConfirm records what the confirmation page showed. Its Ref makes
// a second press of the button return the first record.
func (s *Server) conductConfirm(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.conduct(r, q)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if len(v.Errors) == 0 {
		var out *ledger.Recorded
		out, err = s.svc.Record(r.Context(), v.Form.conduct(v, s.svc.Now()))
		if err == nil {
			http.Redirect(w, r, "/record/today?"+url.Values{"scheme": {v.Scheme}, "done": {strconv.FormatInt(out.Record.ID, 10)}}.Encode(), http.StatusSeeOther)
			return
		}
		if !v.Errors.take(q, err, conductFields(v.Rule)) {
			s.failErr(w, r, q, err)
			return
		}
	}
	s.render(w, r, q, http.StatusUnprocessableEntity, "conduct", v)
}

// conduct reads the person, rulebook and rule of the path, and the form:
// from the query (a form shown again), or as sent, and then checked.
func (s *Server) conduct(r *http.Request, q *req) (conductView, error) {
	person, book, err := s.person(r)
	if err != nil {
		return conductView{}, err
	}
	rule, ok := book.Rule(r.PathValue("rule"))
	if !ok {
		return conductView{}, tally.Errorf(tally.ENotFound, "scheme %s has no rule %q in force", r.PathValue("scheme"), r.PathValue("rule"))
	}
	v := conductView{Scheme: r.PathValue("scheme"), Person: person, Book: book, Rule: rule, Errors: fieldErrors{}}
	if r.Method != http.MethodPost {
		v.Form = readConductForm(r.URL.Query(), rule)
		return v, nil
	}
	v.Form = readConductForm(r.PostForm, rule) // read by Server.only or Server.upload
	v.Errors = v.Form.check(q, rule, book.Location, s.svc.Now())
	return v, nil
}

// todayView lists the records a recorder made today.
type todayView struct {
	Scheme  string
	Schemes []ledger.Version
	Entries []ledger.RecentEntry
	Done    int64
	Undone  int64
}

// todayPage shows today's entries in one scheme, with undo.
func (s *Server) todayPage(w http.ResponseWriter, r *http.Request, q *req) {
	schemes, err := s.schemesOf(r.Context(), q.actor)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := todayView{Schemes: schemes, Scheme: r.URL.Query().Get("scheme")}
	v.Done, _ = strconv.ParseInt(r.URL.Query().Get("done"), 10, 64)
	v.Undone, _ = strconv.ParseInt(r.URL.Query().Get("undone"), 10, 64)
	if v.Scheme == "" && len(schemes) > 0 {
		v.Scheme = schemes[0].Scheme
	}
	if v.Scheme != "" {
		if v.Entries, err = s.today(r, v.Scheme); err != nil {
			s.failErr(w, r, q, err)
			return
		}
		v.Entries = standalone(v.Entries, recentEntry)
	}
	s.render(w, r, q, http.StatusOK, "today", v)
}

// today lists the actor's records of today, a day in the scheme's zone.
func (s *Server) today(r *http.Request, scheme string) ([]ledger.RecentEntry, error) {
	loc, err := s.svc.Location(r.Context(), scheme)
	if err != nil {
		return nil, err
	}
	now := s.svc.Now()
	return s.svc.Recent(r.Context(), scheme, localtime.StartOfDay(now, loc), localtime.NextDay(now, loc), ledger.MaxPage)
}

// undoView asks for the reason to undo one of today's entries.
type undoView struct {
	Scheme string
	Entry  ledger.RecentEntry
	Reason string
	Errors fieldErrors
}

func (s *Server) undoForm(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.undoable(r)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, "undo", v)
}

// undo reverses one of today's entries with the reason given.
func (s *Server) undo(w http.ResponseWriter, r *http.Request, q *req) {
	v, err := s.undoable(r)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.Reason = r.PostFormValue("reason")
	if blank(v.Reason) {
		v.Errors["reason"] = q.msgs.Text("err.required")
		s.render(w, r, q, http.StatusUnprocessableEntity, "undo", v)
		return
	}
	_, err = s.svc.Reverse(r.Context(), ledger.Reversal{Scheme: v.Scheme, Record: v.Entry.ID, Reason: v.Reason,
		Ref: "web-undo-" + strconv.FormatInt(v.Entry.ID, 10)})
	if err != nil {
		if !v.Errors.take(q, err, map[string]string{"reason": "reason"}) {
			s.failErr(w, r, q, err)
			return
		}
		s.render(w, r, q, http.StatusUnprocessableEntity, "undo", v)
		return
	}
	http.Redirect(w, r, "/record/today?"+url.Values{"scheme": {v.Scheme}, "undone": {strconv.FormatInt(v.Entry.ID, 10)}}.Encode(), http.StatusSeeOther)
}

// undoable finds the entry of the path among the actor's entries today.
func (s *Server) undoable(r *http.Request) (undoView, error) {
	scheme := r.PathValue("scheme")
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	entries, err := s.today(r, scheme)
	if err != nil {
		return undoView{}, err
	}
	for _, e := range entries {
		if e.ID == id && !e.IsReversal() && !e.Reversed {
			return undoView{Scheme: scheme, Entry: e, Errors: fieldErrors{}}, nil
		}
	}
	return undoView{}, tally.Errorf(tally.ENotFound, "record %d is not one of your entries of today that can still be undone", id)
}

// evidence sends a record's evidence file to those who may see it.
func (s *Server) evidence(w http.ResponseWriter, r *http.Request, q *req) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ctx := ledger.WithPurpose(r.Context(), purposeOf(q.actor))
	file, err := s.svc.EvidenceFile(ctx, r.PathValue("scheme"), id)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	w.Header().Set("Content-Type", file.Type)
	w.Header().Set("Content-Disposition", "inline")
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write(file.Data)
}

// purposeOf is the purpose a page's read is logged with.
func purposeOf(a *tally.Actor) string {
	switch a.Role {
	case tally.Recorder, tally.Agency:
		return "record"
	case tally.Reviewer:
		return "review"
	case tally.SubjectR:
		return ""
	}
	return "administration"
}
