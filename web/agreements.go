package web

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// agreementsView is the data-sharing agreements in force, for everyone:
// who sends what to whom, for what purpose and on what basis.
type agreementsView struct {
	Instance   string // this instance's name, "" until it has one
	Agreements []agreementCard
	location   *time.Location // the catalogue's, which dates are shown in
}

func (v agreementsView) zone() *time.Location { return v.location }

// agreementCard is one agreement, with the names of the lists it shares
// as the catalogue in force calls them (the list's ID when it has none).
type agreementCard struct {
	tally.Agreement
	ListNames []tally.Text
}

// agreementsPage lists the data-sharing agreements in force; a subject's
// access log links each entry sent to another authority to its agreement
// here.
func (s *Server) agreementsPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	ctx := r.Context()
	all, err := s.svc.Agreements(ctx)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := agreementsView{}
	if v.Instance, err = s.svc.InstanceName(ctx); err != nil && tally.ErrorCodeOf(err) != tally.ENotFound {
		s.failErr(w, r, q, err)
		return
	}
	cat, _, err := s.svc.Catalogue(ctx)
	if err != nil && tally.ErrorCodeOf(err) != tally.ENotFound { // no catalogue: lists go by their IDs
		s.failErr(w, r, q, err)
		return
	}
	if cat != nil {
		v.location = cat.Location
	}
	for _, a := range all {
		card := agreementCard{Agreement: a}
		for _, id := range a.Lists {
			name := tally.Text{Zh: id, En: id}
			if cat != nil {
				if l, ok := cat.List(id); ok {
					name = l.Name
				}
			}
			card.ListNames = append(card.ListNames, name)
		}
		v.Agreements = append(v.Agreements, card)
	}
	s.render(w, r, q, http.StatusOK, "agreements", v)
}

// accessRow is an access-log entry on a resident's page, with the
// agreement in force that an entry sent to, or received from, another
// authority names.
type accessRow struct {
	ledger.AccessEntry
	Agreement *tally.Agreement
}

// accessRows pairs a resident's access-log entries with the agreements
// of those of the exchange, reading the agreements only when there are
// such entries.
func (s *Server) accessRows(ctx context.Context, entries []ledger.AccessEntry) ([]accessRow, error) {
	var agreements []tally.Agreement
	if slices.ContainsFunc(entries, ofExchange) {
		var err error
		if agreements, err = s.svc.Agreements(ctx); err != nil {
			return nil, err
		}
	}
	return withAgreements(entries, agreements), nil
}

// ofExchange reports whether e is an entry sent to, or received from,
// another authority.
func ofExchange(e ledger.AccessEntry) bool { return e.Action == "share" || e.Action == "receive" }

// withAgreements pairs each entry of the exchange ("share", "receive")
// with its agreement. The ledger names the agreement only in the entry's
// detail, so it is the agreement in force whose ID, and the other party's
// name, the detail says as whole words.
func withAgreements(entries []ledger.AccessEntry, agreements []tally.Agreement) []accessRow {
	out := make([]accessRow, len(entries))
	for i, e := range entries {
		out[i].AccessEntry = e
		if !ofExchange(e) {
			continue
		}
		for j := range agreements {
			a := &agreements[j]
			other := a.Receiver
			if e.Action == "receive" {
				other = a.Issuer
			}
			if saysWord(e.DetailText.En, a.ID) && saysWord(e.DetailText.En, other) &&
				(out[i].Agreement == nil || len(a.ID) > len(out[i].Agreement.ID)) {
				out[i].Agreement = a
			}
		}
	}
	return out
}

// saysWord reports whether text has word in it, not as part of a longer
// name (instance and agreement names are letters, digits and '-').
func saysWord(text, word string) bool {
	inName := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-'
	}
	for from := 0; word != ""; {
		i := strings.Index(text[from:], word)
		if i < 0 {
			return false
		}
		start, end := from+i, from+i+len(word)
		if (start == 0 || !inName(text[start-1])) && (end == len(text) || !inName(text[end])) {
			return true
		}
		from = start + 1
	}
	return false
}
