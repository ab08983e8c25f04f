package ledger

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// listHooks are the functions told after a transaction changed list
// entries, such as a check index catching up. Its zero value is empty.
type listHooks struct {
	mu  sync.Mutex
	fns []func(context.Context)
}

// OnListsChanged registers fn to be called after every committed change
// of list entries made through this Service (listing, removal, import),
// before the change's use case returns; in a request's shared transaction
// (Service.Idempotent), after that commits.
func (s *Service) OnListsChanged(fn func(context.Context)) {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	s.hooks.fns = append(s.hooks.fns, fn)
}

func (s *Service) listsChanged(ctx context.Context) {
	s.hooks.mu.Lock()
	fns := slices.Clone(s.hooks.fns)
	s.hooks.mu.Unlock()
	afterCommit(ctx, func(ctx context.Context) {
		for _, fn := range fns {
			fn(ctx)
		}
	})
}

// Eligibility answers "is this subject allowed this measure at this
// instant?" with every reason.
type Eligibility struct {
	Subject     string     `json:"subject"` // masked
	Measure     string     `json:"measure"`
	MeasureName tally.Text `json:"measure_name"`
	Kind        string     `json:"kind"`
	AsOf        time.Time  `json:"as_of"`
	Allowed     bool       `json:"allowed"`
	// Reasons lists every list entry that restricts the measure and every
	// grade gate not met; empty when allowed.
	Reasons []Reason `json:"reasons"`
}

// Reason is one ground of a denial: a list entry in effect, or a grade
// gate the subject does not meet, with how to get it lifted.
type Reason struct {
	Kind string `json:"kind"` // list or grade
	// EntryID is the list entry behind a list reason: its key in the
	// transparency log, where the subject can check it.
	EntryID    int64      `json:"entry_id,omitempty"`
	List       string     `json:"list,omitempty"`
	ListName   tally.Text `json:"list_name,omitzero"`
	CaseNumber string     `json:"case_number,omitempty"`
	Court      string     `json:"court,omitempty"`
	Since      *time.Time `json:"since,omitempty"`
	Until      *time.Time `json:"until,omitempty"`
	Scheme     string     `json:"scheme,omitempty"`
	Needs      string     `json:"needs,omitempty"` // the grade the gate asks for
	Has        string     `json:"has,omitempty"`   // the subject's grade, if scored
	Basis      tally.Text `json:"basis"`           // the matrix link's or the gate's basis
	// Message says the reason in English, as before MessageText, which
	// says it in Chinese and English.
	Message     string     `json:"message"`
	MessageText tally.Text `json:"message_text"`
	HowToLift   tally.Text `json:"how_to_lift"`
	// Disputed says an objection to the list entry is filed and not yet
	// decided (有异议); the entry restricts the measure meanwhile.
	Disputed bool `json:"disputed,omitempty"`
}

// mayAskEligibility: whether a may ask about a subject's measure; a
// measure gated by a grade is a question about that scheme, which must be
// in the asker's scope.
func (s *Service) mayAskEligibility(a *tally.Actor, t Target, m *tally.Measure) error {
	if m != nil && m.Gate != nil {
		t.Scheme = m.Gate.Scheme
	}
	return authorize(a, OpEligibility, t)
}

// Eligibility says whether a subject may have a measure at instant at (now
// when zero), from the stored entries: every list entry in effect that the
// joint-sanctions matrix links to the measure, and for a gated measure the
// subject's grade in the gate's scheme. An identifier that is well formed
// but unknown has no entries and no grade. The answer is logged in the
// subject's access log. A malformed identifier and an unknown measure are
// EInvalid.
func (s *Service) Eligibility(ctx context.Context, identifier, measure string, at time.Time) (*Eligibility, error) {
	out, err := s.Eligibilities(ctx, identifier, []string{measure}, at)
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// Eligibilities answers Eligibility for several measures (every measure of
// the catalogue when measures is empty) from one reading, logged once: a
// resident's page shows them all.
func (s *Service) Eligibilities(ctx context.Context, identifier string, measures []string, at time.Time) ([]Eligibility, error) {
	a := ActorOf(ctx)
	asked := s.target("", identifier)
	if err := s.mayAskEligibility(a, asked, nil); err != nil {
		return nil, err
	}
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	canon, err := tally.ParseAnyIdentifier(identifier)
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = s.now()
	}
	var (
		out       []Eligibility
		subjectID int64
	)
	err = s.store.View(ctx, func(tx Tx) error {
		out = nil
		cat, _, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		if len(measures) == 0 { // every measure the asker may ask about
			for _, m := range cat.Measures {
				if s.mayAskEligibility(a, asked, &m) == nil {
					measures = append(measures, m.ID)
				}
			}
		}
		subj, err := tx.SubjectByLookup(ctx, s.vault.Lookup(canon))
		switch {
		case tally.ErrorCodeOf(err) == tally.ENotFound:
			subj = nil
		case err != nil:
			return err
		default:
			subjectID = subj.ID
		}
		var (
			entries  []tally.ListEntry
			disputed tally.Disputed
		)
		if subj != nil {
			if entries, err = tx.ListEntriesOf(ctx, subj.ID); err != nil {
				return err
			}
			if disputed, err = disputedEntries(ctx, tx, subj.ID, at); err != nil {
				return err
			}
		}
		for _, measure := range measures {
			m, ok := cat.Measure(measure)
			if !ok {
				return tally.FieldErrorf("measure", "unknown measure %q (see the published catalogue)", measure)
			}
			if err := s.mayAskEligibility(a, asked, m); err != nil {
				return err
			}
			e := Eligibility{Subject: tally.MaskIdentifier(canon), Measure: m.ID, MeasureName: m.Name, Kind: string(m.Kind),
				AsOf: at.In(cat.Location), Reasons: []Reason{}}
			e.Reasons = append(e.Reasons, listReasons(cat, m, entries, disputed, at)...)
			if m.Gate != nil {
				r, err := s.gateReason(ctx, tx, m.Gate, subj, at)
				if err != nil {
					return err
				}
				if r != nil {
					e.Reasons = append(e.Reasons, *r)
				}
			}
			e.Allowed = len(e.Reasons) == 0
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if subjectID != 0 {
		var args []string
		for _, e := range out {
			args = append(args, e.Measure, itoa(len(e.Reasons)))
		}
		if err := s.logRead(ctx, subjectID, "", "eligibility", accessDetail(detailEligibility, args...)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// listReasons returns a reason for each entry in effect at at whose list
// restricts the measure, marked if disputed.
func listReasons(cat *rulebook.Catalogue, m *tally.Measure, entries []tally.ListEntry, disputed tally.Disputed, at time.Time) []Reason {
	var out []Reason
	for _, link := range cat.SanctionsOf(m.ID) {
		for i := range entries {
			e := &entries[i]
			if e.List != link.List || !e.InEffect(at) {
				continue
			}
			l, _ := cat.List(e.List)
			since, until := e.NoticeServed.In(cat.Location), e.Until().In(cat.Location)
			out = append(out, Reason{Kind: "list", EntryID: e.ID, List: e.List, ListName: l.Name, CaseNumber: e.CaseNumber, Court: e.Court,
				Since: &since, Until: &until, Basis: link.Basis,
				HowToLift: l.Removal, Disputed: disputed.Entry(e.ID)})
			out[len(out)-1].say("eligibility.listed", l.Name, day(since), e.CaseNumber, e.Court, day(until))
		}
	}
	return out
}

// gateTx is what checking a grade gate reads.
type gateTx interface {
	Rulebooks
	Enrolments
	Scores
}

// gateReason returns the reason a gated measure is withheld, or nil when
// the subject's grade meets the gate.
func (s *Service) gateReason(ctx context.Context, tx gateTx, g *tally.GradeGate, subj *tally.Subject, at time.Time) (*Reason, error) {
	r := &Reason{Kind: "grade", Scheme: g.Scheme, Needs: g.AtLeast, Basis: g.Basis, HowToLift: message("me.lift_grade", g.AtLeast, g.Scheme)}
	vs, err := s.versions(ctx, tx, g.Scheme)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		r.say("eligibility.unpublished", g.Scheme, g.AtLeast)
		return r, nil
	} else if err != nil {
		return nil, err
	}
	if subj == nil {
		r.say("eligibility.not-enrolled", g.Scheme)
		return r, nil
	}
	enrolment, err := tx.Enrolment(ctx, g.Scheme, subj.ID)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		r.say("eligibility.not-enrolled", g.Scheme)
		return r, nil
	} else if err != nil {
		return nil, err
	}
	records, err := tx.PointsInEffect(ctx, g.Scheme, subj.ID, at)
	if err != nil {
		return nil, err
	}
	sc := explain(vs, subj, enrolment, records, at)
	if !sc.Scored || sc.Grade == nil {
		switch {
		case sc.Scored:
			r.say("eligibility.no-grade", g.Scheme)
		case subj.Kind == tally.Person && !enrolment.Consent.Given:
			r.say("eligibility.no-consent", g.Scheme)
		default:
			r.say("eligibility.minor", g.Scheme, day(subj.AdultOn))
		}
		return r, nil
	}
	rank := map[string]int{}
	for i, b := range vs[len(vs)-1].Book.Grades {
		rank[b.Grade] = i
	}
	r.Has = *sc.Grade
	if got, ok := rank[*sc.Grade]; ok && got <= rank[g.AtLeast] {
		return nil, nil
	}
	r.say("eligibility.grade-below", *sc.Grade, g.Scheme, g.AtLeast)
	return r, nil
}

// say sets the reason's message, from the catalogue key with args, in
// both languages (Message in English, as before).
func (r *Reason) say(key string, args ...any) {
	r.MessageText = message(key, args...)
	r.Message = r.MessageText.En
}
