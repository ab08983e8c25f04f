package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// mayList: entries of a list, which an agency's (a court's) categories
// must name when they name any.
func mayList(a *tally.Actor, list string) error {
	return authorize(a, OpListEntries, Target{Category: list})
}

// PublishedCatalogue is the outcome of PublishCatalogue.
type PublishedCatalogue struct {
	Version   int                 `json:"version"`
	Digest    string              `json:"digest"`
	Unchanged bool                `json:"unchanged,omitempty"` // the latest version already had this text
	Lists     int                 `json:"lists"`
	Measures  int                 `json:"measures"`
	Sanctions int                 `json:"sanctions"`
	Warnings  []string            `json:"warnings"`
	Catalogue *rulebook.Catalogue `json:"-"`
}

// PublishCatalogue checks a sanctions catalogue and stores it as the next
// version, in force from now. Publishing the latest version's exact text
// again changes nothing. A grade gate must name a grade its scheme has
// (when the scheme is published; otherwise that is a warning).
func (s *Service) PublishCatalogue(ctx context.Context, filename string, src []byte) (*PublishedCatalogue, error) {
	if err := authorize(ActorOf(ctx), OpPublishCatalogue, Target{}); err != nil {
		return nil, err
	}
	cat, report := rulebook.LoadCatalogue(filename, src)
	if err := report.Err(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	out := &PublishedCatalogue{Digest: hex.EncodeToString(sum[:]), Lists: len(cat.Lists), Measures: len(cat.Measures),
		Sanctions: len(cat.Sanctions), Warnings: []string{}, Catalogue: cat}
	for _, w := range report.Warnings() {
		out.Warnings = append(out.Warnings, w.String())
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		for _, m := range cat.Measures {
			if m.Gate == nil {
				continue
			}
			vs, err := s.versions(ctx, tx, m.Gate.Scheme)
			if tally.ErrorCodeOf(err) == tally.ENotFound {
				out.Warnings = append(out.Warnings, fmt.Sprintf("warning: measure %s: gate: scheme %s is not published yet; until it is, no one qualifies", m.ID, m.Gate.Scheme))
				continue
			} else if err != nil {
				return err
			}
			if !slices.ContainsFunc(vs[len(vs)-1].Book.Grades, func(g tally.GradeBand) bool { return g.Grade == m.Gate.AtLeast }) {
				return tally.FieldErrorf("measures."+m.ID+".gate.at_least", "scheme %s has no grade %q", m.Gate.Scheme, m.Gate.AtLeast)
			}
		}
		latest, err := tx.LatestCatalogue(ctx)
		switch {
		case err == nil:
			if latest.Digest == out.Digest {
				out.Version, out.Unchanged = latest.Version, true
				return nil
			}
			out.Version = latest.Version + 1
		case tally.ErrorCodeOf(err) == tally.ENotFound:
			out.Version = 1
		default:
			return err
		}
		return tx.InsertCatalogue(ctx, &tally.CatalogueVersion{Version: out.Version, PublishedAt: s.now(),
			PublishedBy: ActorOf(ctx).Name, Digest: out.Digest, Source: src})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Catalogue returns the sanctions catalogue in force and its version.
func (s *Service) Catalogue(ctx context.Context) (*rulebook.Catalogue, int, error) {
	if err := authorize(ActorOf(ctx), OpReadCatalogue, Target{}); err != nil {
		return nil, 0, err
	}
	var (
		cat *rulebook.Catalogue
		v   int
	)
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		cat, v, err = s.catalogue(ctx, tx)
		return err
	})
	return cat, v, err
}

// catalogue reads and compiles the catalogue in force.
func (s *Service) catalogue(ctx context.Context, tx Catalogue) (*rulebook.Catalogue, int, error) {
	cv, err := tx.LatestCatalogue(ctx)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil, 0, tally.Errorf(tally.ENotFound, "no sanctions catalogue is published: run tally lists publish FILE (tally init publishes the default)")
	}
	if err != nil {
		return nil, 0, err
	}
	if cat, ok := s.keptCatalogue(cv.Version, cv.Digest); ok {
		return cat, cv.Version, nil
	}
	cat, report := rulebook.LoadPublishedCatalogue(fmt.Sprintf("catalogue v%d", cv.Version), cv.Source)
	if err := report.Err(); err != nil {
		return nil, 0, &tally.Error{Code: tally.EInternal, Message: "stored catalogue no longer loads", Err: err}
	}
	s.lastCatalogue.Store(&loadedCatalogue{version: cv.Version, digest: cv.Digest, cat: cat})
	return cat, cv.Version, nil
}

// catalogueZone is the time zone of the sanctions catalogue in force, in
// which list entries' days and deadlines are counted; the default zone
// while none is published.
func (s *Service) catalogueZone(ctx context.Context, tx Catalogue) (*time.Location, error) {
	_, loc, err := s.listDue(ctx, tx, "")
	return loc, err
}

// listDue returns the due-process clocks of a list's entries as the
// sanctions catalogue in force sets them (list "": the catalogue's own),
// and the catalogue's zone; the defaults in the default zone while none
// is published.
func (s *Service) listDue(ctx context.Context, tx Catalogue, list string) (tally.DueProcess, *time.Location, error) {
	cat, _, err := s.catalogue(ctx, tx)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		loc, err := time.LoadLocation(rulebook.DefaultTimezone)
		return tally.DefaultDueProcess(), loc, err
	}
	if err != nil {
		return tally.DueProcess{}, nil, err
	}
	return cat.Due(list), cat.Location, nil
}

// Listing is the input of List: one decision to put a subject on a list.
type Listing struct {
	List         string
	Identifier   string // resident ID number or Unified Social Credit Code
	Name         string // the subject's name as the decision gives it
	CaseNumber   string
	Court        string // the issuing body
	DecidedOn    time.Time
	NoticeServed time.Time // required: an entry takes effect only once notice is served
	Grounds      string
	Basis        string // the legal basis the decision cites
	Aggravation  int    // years added to the list's term, up to its max_aggravation
}

// EntryView is a list entry as an operator, the agency or the subject
// sees it: never the full identifier.
type EntryView struct {
	ID           int64             `json:"id"`
	List         string            `json:"list"`
	ListName     tally.Text        `json:"list_name"`
	Subject      string            `json:"subject"` // masked
	Name         string            `json:"name"`
	CaseNumber   string            `json:"case_number"`
	Court        string            `json:"court"`
	DecidedOn    time.Time         `json:"decided_on"`
	NoticeServed time.Time         `json:"notice_served"`
	Grounds      string            `json:"grounds"`
	Basis        string            `json:"basis"`
	Term         string            `json:"term"`
	Aggravation  int               `json:"aggravation_years,omitempty"`
	Ends         time.Time         `json:"ends"`
	Status       tally.EntryStatus `json:"status"`
	Removal      *RemovalView      `json:"removal,omitempty"`
	HowToLift    tally.Text        `json:"how_to_lift"`
	RecordedBy   string            `json:"recorded_by"`
	Existed      bool              `json:"existed,omitempty"` // listed (or proposed) before with the same content
	// Proposal is set instead of an entry on a list with a statement
	// period: the listing is proposed (Status proposed, ID 0).
	Proposal *ProposalView `json:"proposal,omitempty"`
}

// RemovalView is a removal as shown.
type RemovalView struct {
	Reason     tally.RemovalReason `json:"reason"`
	On         time.Time           `json:"on"`
	Note       string              `json:"note,omitempty"`
	RecordedBy string              `json:"recorded_by"`
}

func (s *Service) entryView(e *tally.ListEntry, cat *rulebook.Catalogue) EntryView {
	v := EntryView{ID: e.ID, List: e.List, Subject: e.Masked, Name: e.Name, CaseNumber: e.CaseNumber, Court: e.Court,
		DecidedOn: e.DecidedOn, NoticeServed: e.NoticeServed, Grounds: e.Grounds, Basis: e.Basis, Term: e.Term.String(),
		Aggravation: e.Aggravation, Ends: e.Ends, Status: e.Status(s.now()), RecordedBy: e.RecordedBy}
	if cat != nil {
		if l, ok := cat.List(e.List); ok {
			v.ListName, v.HowToLift = l.Name, l.Removal
		}
	}
	if r := e.Removal; r != nil {
		v.Removal = &RemovalView{Reason: r.Reason, On: r.On, Note: r.Note, RecordedBy: r.RecordedBy}
	}
	return v
}

// List puts a subject on a list: it checks the decision (list known,
// case number, court, basis, grounds, decision and notice dates, notice
// not in the future, aggravation within the list's limit), refuses a
// person who was a minor on the day of the decision, adds the subject if
// it is not known yet, and appends the entry. The same case again with the
// same content returns the stored entry; with other content it is a
// conflict: an entry is never edited, and a later listing is a new case.
// On a list whose catalogue sets a statement period the listing is first
// a proposal (see StateCase and DecideProposal): it restricts nothing.
func (s *Service) List(ctx context.Context, in Listing) (EntryView, error) {
	if err := mayList(ActorOf(ctx), in.List); err != nil {
		return EntryView{}, err
	}
	var out EntryView
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := lockLists(ctx, tx); err != nil {
			return err
		}
		cat, _, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		f, err := s.file(ctx, tx, cat, in)
		if err != nil {
			return err
		}
		out = s.filedView(f, cat)
		return nil
	})
	if err != nil {
		return EntryView{}, err
	}
	s.listsChanged(ctx)
	return out, nil
}

// checkListing validates a listing against the catalogue, before any
// lookup.
func (s *Service) checkListing(cat *rulebook.Catalogue, in *Listing) (*tally.List, error) {
	in.List, in.CaseNumber, in.Court = strings.TrimSpace(in.List), strings.TrimSpace(in.CaseNumber), strings.TrimSpace(in.Court)
	in.Grounds, in.Basis, in.Name = strings.TrimSpace(in.Grounds), strings.TrimSpace(in.Basis), strings.TrimSpace(in.Name)
	l, ok := cat.List(in.List)
	switch {
	case in.List == "":
		return nil, tally.FieldErrorf("list", "name the list")
	case !ok:
		return nil, tally.FieldErrorf("list", "unknown list %q (see the published catalogue)", in.List)
	case in.CaseNumber == "":
		return nil, tally.FieldErrorf("case_number", "a listing needs the case number of its decision")
	case in.Court == "":
		return nil, tally.FieldErrorf("court", "a listing needs the issuing body")
	case in.Basis == "":
		return nil, tally.FieldErrorf("basis", "a listing needs the legal basis its decision cites")
	case in.Grounds == "":
		return nil, tally.FieldErrorf("grounds", "a listing needs its grounds")
	case in.Name == "":
		return nil, tally.FieldErrorf("name", "a listing needs the subject's name as the decision gives it")
	case in.DecidedOn.IsZero():
		return nil, tally.FieldErrorf("decided", "a listing needs the date of its decision")
	case in.NoticeServed.IsZero():
		return nil, tally.FieldErrorf("notice", "a listing takes effect only once its notice is served: give the date it was served")
	case in.NoticeServed.Before(in.DecidedOn):
		return nil, tally.FieldErrorf("notice", "served on %s, before the decision of %s", day(in.NoticeServed), day(in.DecidedOn))
	case in.NoticeServed.After(s.now()):
		return nil, tally.FieldErrorf("notice", "served on %s, which is in the future: record the listing once its notice is served", day(in.NoticeServed))
	case in.Aggravation < 0 || in.Aggravation > l.MaxAggravation:
		return nil, tally.FieldErrorf("aggravation", "%d years: list %s allows 0 to %d", in.Aggravation, l.ID, l.MaxAggravation)
	}
	return l, checkListingText(in)
}

// listTx is what writing one listing touches: the listed subject (added
// if new, which the access log notes), the entry and its notice, or on a
// list with a statement period the proposal, its notice and deadline.
type listTx interface {
	outboxTx
	AccessLog
	ListEntries
	Notices
	Proposals
	Calendars
}

// list writes one listing in tx and says whether it existed already.
func (s *Service) list(ctx context.Context, tx listTx, cat *rulebook.Catalogue, in Listing) (*tally.ListEntry, bool, error) {
	l, err := s.checkListing(cat, &in)
	if err != nil {
		return nil, false, err
	}
	subj, err := s.listedSubject(ctx, tx, in)
	if err != nil {
		return nil, false, err
	}
	return s.enter(ctx, tx, cat, l, subj, in)
}

// enter writes a checked listing of a known subject in tx and says whether
// it existed already: the one path every entry takes, a proposal's too.
// A new entry goes into the outbox of every agreement that shares its list.
func (s *Service) enter(ctx context.Context, tx listTx, cat *rulebook.Catalogue, l *tally.List, subj *tally.Subject, in Listing) (*tally.ListEntry, bool, error) {
	if err := mayBeListed(subj, in); err != nil {
		return nil, false, err
	}
	e := &tally.ListEntry{List: l.ID, SubjectID: subj.ID, Lookup: subj.Lookup, Name: in.Name, Masked: subj.Masked,
		CaseNumber: in.CaseNumber, Court: in.Court, DecidedOn: in.DecidedOn, NoticeServed: in.NoticeServed,
		Grounds: in.Grounds, Basis: in.Basis, Term: l.Term, Aggravation: in.Aggravation,
		Ends: tally.EntryEnds(in.NoticeServed, l.Term, in.Aggravation), RecordedAt: s.now(), RecordedBy: ActorOf(ctx).Name}
	if old, err := putEntry(ctx, tx, e); err != nil || old != nil {
		return old, old != nil, err
	}
	if err := tx.InsertNotice(ctx, entryNotice(e, cat.Due(l.ID), cat.Location, s.now())); err != nil {
		return nil, false, err
	}
	if err := s.logAccess(ctx, tx, subj.ID, "", "list", accessDetail("listed", l.ID, e.CaseNumber, e.Court)); err != nil {
		return nil, false, err
	}
	return e, false, s.shareEntry(ctx, tx, e)
}

// putEntry appends e unless its list has its case already: then it
// returns the stored entry when the decision is the same, and a conflict
// when it is not (an entry is never edited).
func putEntry(ctx context.Context, tx ListEntries, e *tally.ListEntry) (*tally.ListEntry, error) {
	old, err := tx.ListEntryByCase(ctx, e.List, e.CaseNumber)
	switch {
	case err == nil:
		if old.SubjectID != e.SubjectID || old.Name != e.Name || old.Court != e.Court || !old.DecidedOn.Equal(e.DecidedOn) ||
			!old.NoticeServed.Equal(e.NoticeServed) || old.Grounds != e.Grounds || old.Basis != e.Basis || old.Aggravation != e.Aggravation {
			return nil, &tally.Error{Code: tally.EConflict, Field: "case_number", Message: fmt.Sprintf("list %s already has case %s with other content: an entry is never edited; a correction is a removal (overturned) and a new case", e.List, e.CaseNumber)}
		}
		return old, nil
	case tally.ErrorCodeOf(err) != tally.ENotFound:
		return nil, err
	}
	return nil, tx.InsertListEntry(ctx, e)
}

// listedSubject finds the subject a listing names, adding it when it is
// not known yet; a known subject under another name is a conflict.
func (s *Service) listedSubject(ctx context.Context, tx subjectTx, in Listing) (*tally.Subject, error) {
	kind := tally.Person
	if _, err := tally.ParseResidentID(in.Identifier); err != nil {
		if _, uerr := tally.ParseUSCC(in.Identifier); uerr != nil {
			return nil, tally.FieldErrorf("subject", "not a resident ID number (%v) nor a credit code (%v)", err, uerr)
		}
		kind = tally.Organisation
	}
	subj, err := s.newSubject(NewSubject{Kind: kind, Identifier: in.Identifier, Name: in.Name})
	if err != nil {
		return nil, err
	}
	old, err := tx.SubjectByLookup(ctx, subj.Lookup)
	switch {
	case err == nil:
		if old.Name != in.Name {
			return nil, &tally.Error{Code: tally.EConflict, Field: "name", Message: fmt.Sprintf("subject %s is recorded as %q, the decision names %q", old.Masked, old.Name, in.Name)}
		}
		return old, nil
	case tally.ErrorCodeOf(err) != tally.ENotFound:
		return nil, err
	}
	if _, err := s.insertSubject(ctx, tx, subj); err != nil {
		return nil, err
	}
	return subj, nil
}

// Removal is the input of Remove: a recorded end of an entry before its term.
type Removal struct {
	List       string
	CaseNumber string
	Reason     tally.RemovalReason
	On         time.Time // zero: now
	Note       string
}

// Remove ends an entry before its term by appending a removal with its
// reason and date; from that instant the entry restricts nothing. Removing
// again with the same reason and date changes nothing; otherwise it is a
// conflict. A removal cannot be dated in the future, before the notice, or
// after the entry has ended.
func (s *Service) Remove(ctx context.Context, in Removal) (EntryView, error) {
	if err := mayList(ActorOf(ctx), in.List); err != nil {
		return EntryView{}, err
	}
	if _, err := tally.ParseRemovalReason(string(in.Reason)); err != nil {
		return EntryView{}, tally.FieldErrorf("reason", "%v", err)
	}
	if in.Reason == tally.Revoked {
		return EntryView{}, tally.FieldErrorf("reason", "a revoked decision is recorded with tally lists revoke (POST /api/v1/revocations), which also reverses what else it derived")
	}
	if err := tally.CheckText("note", in.Note, tally.Limits.Reason, true); err != nil {
		return EntryView{}, err
	}
	now := s.now()
	if in.On.IsZero() {
		in.On = now
	}
	if in.On.After(now) {
		return EntryView{}, tally.FieldErrorf("on", "%s is in the future: record a removal once it has happened", in.On.Format(time.RFC3339))
	}
	var out EntryView
	err := s.store.Update(ctx, func(tx Tx) error {
		if err := lockLists(ctx, tx); err != nil {
			return err
		}
		cat, _, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		e, err := tx.ListEntryByCase(ctx, in.List, strings.TrimSpace(in.CaseNumber))
		if err != nil {
			return err
		}
		if r := e.Removal; r != nil {
			if r.Reason == in.Reason && (r.On.Equal(in.On) || in.On.Equal(now)) {
				out = s.entryView(e, cat)
				out.Existed = true
				return nil
			}
			return tally.Errorf(tally.EConflict, "case %s was already removed from %s on %s (%s)", e.CaseNumber, e.List, r.On.Format(time.RFC3339), r.Reason)
		}
		if in.On.Before(e.NoticeServed) {
			return tally.FieldErrorf("on", "before the notice was served (%s)", e.NoticeServed.Format(time.RFC3339))
		}
		subj, err := tx.SubjectByID(ctx, e.SubjectID)
		if err != nil {
			return err
		}
		if err := s.mayDecide(ctx, tx, ActorOf(ctx), phrase("remove case %s", e.CaseNumber), phrase("the issuing authority's other staff must"), newParties(subj)); err != nil {
			return err
		}
		if !in.On.Before(e.Ends) {
			return tally.FieldErrorf("on", "case %s ended by itself at the end of its term (%s)", e.CaseNumber, e.Ends.Format(time.RFC3339))
		}
		e.Removal = &tally.ListRemoval{EntryID: e.ID, Reason: in.Reason, On: in.On, Note: strings.TrimSpace(in.Note), RecordedAt: now, RecordedBy: ActorOf(ctx).Name}
		if err := tx.InsertRemoval(ctx, e.Removal); err != nil {
			return err
		}
		out = s.entryView(e, cat)
		if err := s.logAccess(ctx, tx, e.SubjectID, "", "remove", accessDetail("removed", e.List, e.CaseNumber, string(in.Reason))); err != nil {
			return err
		}
		return s.shareRemoval(ctx, tx, e, e.Removal)
	})
	if err != nil {
		return EntryView{}, err
	}
	s.listsChanged(ctx)
	return out, nil
}

// lockLists makes writers of list entries and removals take turns, so
// that their IDs become visible in increasing order: the check index
// catches up by reading the IDs above the last it saw.
func lockLists(ctx context.Context, tx Locks) error {
	return tx.LockSubject(ctx, "\x00lists", 0)
}
