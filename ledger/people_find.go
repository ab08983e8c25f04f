package ledger

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/tallycredit/tally"
)

// Found is an enrolled subject as a recorder picks it: name, masked
// number and unit. Identifier is the full number, for passing to Record
// inside the server; pages never show it.
type Found struct {
	SubjectID  int64
	Kind       tally.SubjectKind
	Name       string
	Masked     string
	Unit       string
	Consent    bool
	Identifier string
}

// MaxFound is how many people a search returns: a recorder narrows a
// search rather than scrolls.
const MaxFound = 20

// Find looks up people enrolled in a scheme for a recorder: by full
// identifier, or by part of a name or unit (household, village group), or
// by the last digits of the number. Those who may write in the scheme may
// search it.
func (s *Service) Find(ctx context.Context, scheme, text string) ([]Found, error) {
	if err := authorize(ActorOf(ctx), OpFindSubjects, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) < 1 || len(text) > 100 {
		return nil, tally.FieldErrorf("q", "type a name, a household or the last digits of an ID number")
	}
	var out []Found
	err := s.store.View(ctx, func(tx Tx) error {
		if _, err := s.versions(ctx, tx, scheme); err != nil {
			return err
		}
		if subj, err := s.subject(ctx, tx, text); err == nil {
			e, err := tx.Enrolment(ctx, scheme, subj.ID)
			if err == nil {
				out = []Found{s.found(subj, e)}
			}
			return nil
		}
		hits, err := tx.SearchEnrolled(ctx, scheme, text, MaxFound)
		for _, h := range hits {
			out = append(out, s.found(&h.Subject, &h.Enrolment))
		}
		return err
	})
	return out, err
}

// FoundByID returns one enrolled subject of a scheme by its store ID, as
// the recorder's pages carry it between steps.
func (s *Service) FoundByID(ctx context.Context, scheme string, subjectID int64) (*Found, error) {
	if err := authorize(ActorOf(ctx), OpFindSubjects, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	var out Found
	err := s.store.View(ctx, func(tx Tx) error {
		subj, err := tx.SubjectByID(ctx, subjectID)
		if err != nil {
			return err
		}
		e, err := tx.Enrolment(ctx, scheme, subjectID)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return tally.Errorf(tally.ENotFound, "subject %d is not enrolled in scheme %s", subjectID, scheme)
		} else if err != nil {
			return err
		}
		out = s.found(subj, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Identifier == "" {
		return nil, tally.Errorf(tally.EInternal, "subject %d: identifier cannot be opened with this key", subjectID)
	}
	return &out, nil
}

// found joins a subject and its enrolment.
func (s *Service) found(subj *tally.Subject, e *tally.Enrolment) Found {
	id, _ := s.vault.Open(subj.Sealed)
	return Found{SubjectID: subj.ID, Kind: subj.Kind, Name: subj.Name, Masked: subj.Masked, Unit: e.Unit,
		Consent: e.Consent.Given || subj.Kind == tally.Organisation, Identifier: id}
}
