package ledger

import (
	"context"
	"strings"

	"github.com/tallycredit/tally"
)

// NewSubject is the input of AddSubject.
type NewSubject struct {
	Kind       tally.SubjectKind
	Identifier string // resident ID number or Unified Social Credit Code
	Name       string
}

// SubjectView is a subject as shown to an operator: never the full number.
type SubjectView struct {
	ID      int64             `json:"-"`
	Kind    tally.SubjectKind `json:"kind"`
	Subject string            `json:"subject"` // masked identifier
	Name    string            `json:"name"`
	Existed bool              `json:"existed,omitempty"`
}

func viewOf(s *tally.Subject) SubjectView {
	return SubjectView{ID: s.ID, Kind: s.Kind, Subject: s.Masked, Name: s.Name}
}

// AddSubject validates an identifier and stores the subject. Adding the
// same identifier with the same name again returns the existing subject;
// with a different name or kind it is a conflict.
func (s *Service) AddSubject(ctx context.Context, in NewSubject) (SubjectView, error) {
	if err := mayRegister(ActorOf(ctx), ""); err != nil {
		return SubjectView{}, err
	}
	subj, err := s.newSubject(in)
	if err != nil {
		return SubjectView{}, err
	}
	var out SubjectView
	err = s.store.Update(ctx, func(tx Tx) error {
		out, err = s.addSubject(ctx, tx, subj)
		return err
	})
	return out, err
}

func (s *Service) newSubject(in NewSubject) (*tally.Subject, error) {
	if in.Kind != tally.Person && in.Kind != tally.Organisation {
		return nil, tally.FieldErrorf("kind", "want person or organisation, got %q", in.Kind)
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return nil, tally.FieldErrorf("name", "a subject needs a name")
	}
	if err := tally.CheckText("name", name, tally.Limits.Name, false); err != nil {
		return nil, err
	}
	subj := &tally.Subject{Kind: in.Kind, Name: name, Created: s.now()}
	if in.Kind == tally.Person {
		id, err := tally.ParseResidentID(in.Identifier)
		if err != nil {
			return nil, tally.FieldErrorf("id", "%v", err)
		}
		subj.AdultOn = id.AdultOn()
		in.Identifier = id.Number
	} else {
		code, err := tally.ParseUSCC(in.Identifier)
		if err != nil {
			return nil, tally.FieldErrorf("id", "%v", err)
		}
		in.Identifier = code
	}
	subj.Masked = tally.MaskIdentifier(in.Identifier)
	subj.Lookup = s.vault.Lookup(in.Identifier)
	subj.Sealed = s.vault.Seal(in.Identifier)
	return subj, nil
}

// subjectTx is what adding a subject touches: the subject and the access log.
type subjectTx interface {
	Subjects
	AccessLog
}

func (s *Service) addSubject(ctx context.Context, tx subjectTx, subj *tally.Subject) (SubjectView, error) {
	v, err := s.insertSubject(ctx, tx, subj)
	if tally.ErrorCodeOf(err) == tally.EConflict {
		// Another writer added the same identifier just now: answer as if
		// it had been there before.
		return s.insertSubject(ctx, tx, subj)
	}
	return v, err
}

func (s *Service) insertSubject(ctx context.Context, tx subjectTx, subj *tally.Subject) (SubjectView, error) {
	old, err := tx.SubjectByLookup(ctx, subj.Lookup)
	switch {
	case err == nil:
		if old.Kind != subj.Kind || old.Name != subj.Name {
			return SubjectView{}, tally.Errorf(tally.EConflict, "subject %s already exists as %s %q", old.Masked, old.Kind, old.Name)
		}
		v := viewOf(old)
		v.Existed = true
		return v, nil
	case tally.ErrorCodeOf(err) != tally.ENotFound:
		return SubjectView{}, err
	}
	if err := tx.InsertSubject(ctx, subj); err != nil {
		return SubjectView{}, err
	}
	return viewOf(subj), s.logAccess(ctx, tx, subj.ID, "", "add-subject", accessDetail("subject-added", string(subj.Kind), subj.Name))
}

// subject finds a subject by its identifier, in any accepted spelling.
func (s *Service) subject(ctx context.Context, tx Subjects, identifier string) (*tally.Subject, error) {
	canon := canonical(identifier)
	subj, err := tx.SubjectByLookup(ctx, s.vault.Lookup(canon))
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil, noSubject(canon)
	}
	return subj, err
}

// noSubject says that no subject has a (canonical) identifier, masked.
func noSubject(canon string) error {
	return tally.Errorf(tally.ENotFound, "no subject with identifier %s", tally.MaskIdentifier(canon))
}

// canonical spells an identifier as it is hashed: trimmed, upper case.
func canonical(identifier string) string { return strings.ToUpper(strings.TrimSpace(identifier)) }

// Identifier returns a subject's full identifier, for a caller allowed to
// see it.
func (s *Service) Identifier(subj *tally.Subject) (string, error) {
	return s.vault.Open(subj.Sealed)
}

// Enrolment is the input of Enrol.
type Enrolment struct {
	Scheme     string
	Identifier string
	Unit       string
	Consent    bool   // for persons: whether they agree to be scored
	How        string // how consent was given or refused, e.g. "signed form"
}

// EnrolView is the outcome of Enrol.
type EnrolView struct {
	Scheme  string      `json:"scheme"`
	Subject SubjectView `json:"subject"`
	Unit    string      `json:"unit,omitempty"`
	Consent bool        `json:"consent"`
	Existed bool        `json:"existed,omitempty"`
}

// Enrol puts a subject in a scheme and records the person's consent
// decision. Enrolling again changes nothing but the consent, which is
// appended when it differs. Organisations are scored without consent.
func (s *Service) Enrol(ctx context.Context, in Enrolment) (EnrolView, error) {
	a := ActorOf(ctx)
	if err := mayRegister(a, in.Scheme); err != nil {
		return EnrolView{}, err
	}
	var out EnrolView
	err := s.store.Update(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, in.Scheme)
		if err != nil {
			return err
		}
		subj, err := s.subject(ctx, tx, in.Identifier)
		if err != nil {
			return err
		}
		if book := vs[len(vs)-1].Book; !book.Accepts(subj.Kind) {
			return tally.FieldErrorf("subject", "scheme %s does not score a %s", in.Scheme, subj.Kind)
		}
		out, err = s.enrol(ctx, tx, subj, in, a.Name)
		return err
	})
	return out, err
}

// enrolTx is what enrolling a subject touches: the enrolment and the access log.
type enrolTx interface {
	Enrolments
	AccessLog
}

func (s *Service) enrol(ctx context.Context, tx enrolTx, subj *tally.Subject, in Enrolment, by string) (EnrolView, error) {
	if err := checkEnrolmentText(in); err != nil {
		return EnrolView{}, err
	}
	out := EnrolView{Scheme: in.Scheme, Subject: viewOf(subj), Unit: in.Unit, Consent: in.Consent || subj.Kind == tally.Organisation}
	now := s.now()
	old, err := tx.Enrolment(ctx, in.Scheme, subj.ID)
	switch {
	case err == nil:
		out.Existed, out.Unit = true, old.Unit
		if subj.Kind == tally.Organisation || (old.Consent.Given == in.Consent && !old.Consent.At.IsZero()) {
			out.Consent = old.Consent.Given || subj.Kind == tally.Organisation
			return out, nil
		}
	case tally.ErrorCodeOf(err) == tally.ENotFound:
		e := &tally.Enrolment{Scheme: in.Scheme, SubjectID: subj.ID, Unit: in.Unit, Enrolled: now, By: by}
		if err := tx.InsertEnrolment(ctx, e); err != nil {
			return out, err
		}
		if subj.Kind == tally.Organisation {
			return out, s.logAccess(ctx, tx, subj.ID, in.Scheme, "enrol", accessDetail("enrolled-organisation", in.Unit))
		}
	default:
		return out, err
	}
	how := in.How
	if how == "" {
		how = "recorded by " + by
	}
	if err := tx.InsertConsent(ctx, &tally.Consent{Scheme: in.Scheme, SubjectID: subj.ID, Given: in.Consent, At: now, How: how, By: by}); err != nil {
		return out, err
	}
	return out, s.logAccess(ctx, tx, subj.ID, in.Scheme, "enrol", choiceDetail("consent", in.Consent, how))
}

// askedSubject is the subject a listing of due-process items is about: a
// subject's own, else the one the query names by identifier, else 0 (all
// the caller may read).
func (s *Service) askedSubject(ctx context.Context, tx Tx, a *tally.Actor, identifier string) (int64, error) {
	switch {
	case a.Role == tally.SubjectR:
		subj, err := tx.SubjectByLookup(ctx, a.Lookup)
		if err != nil {
			return 0, err
		}
		return subj.ID, nil
	case identifier != "":
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return 0, err
		}
		return subj.ID, nil
	}
	return 0, nil
}
