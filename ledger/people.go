package ledger

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/parse"
)

// PeopleReport counts a subjects import's rows.
type PeopleReport struct {
	Rows     int              `json:"rows"`
	Added    int              `json:"added"`
	Existed  int              `json:"existed"`
	Enrolled int              `json:"enrolled"` // new enrolments
	Bad      []parse.RowError `json:"bad"`
}

// ImportPeople adds (and, where a row names a scheme, enrols) the subjects
// of a CSV file with the header kind,id,name[,scheme,unit,consent,how]
// (see parse.People), in
// transactions of DefaultBatch rows, reporting every bad row with its line
// and keeping every good one. It first reads the whole file without
// writing: if any row cannot be read as a row it returns a *parse.FileError
// listing every such row, and nothing is written. A person enrolled in a
// scheme needs consent given as yes or no. Importing the same file again
// changes nothing. progress, if set, is told the report after each batch.
func (s *Service) ImportPeople(ctx context.Context, r io.Reader, progress func(PeopleReport)) (*PeopleReport, error) {
	if err := mayRegister(ActorOf(ctx), ""); err != nil {
		return nil, err
	}
	src := newReplay(r)
	defer src.close()
	in, err := src.first()
	if err != nil {
		return nil, err
	}
	next, err := parse.People(in)
	if err != nil {
		return nil, err
	}
	if err := parse.Check(next); err != nil {
		return nil, err
	}
	if in, err = src.again(); err != nil {
		return nil, err
	}
	if next, err = parse.People(in); err != nil {
		return nil, err
	}
	rep := &PeopleReport{Bad: []parse.RowError{}}
	var batch []parse.PersonRow
	flush := func() error {
		err := s.importPeople(ctx, batch, rep)
		batch = batch[:0]
		if progress != nil {
			progress(*rep)
		}
		return err
	}
	for {
		rw, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rep, err
		}
		rep.Rows++
		if rw.Bad != nil { // the file changed between the readings
			rep.Bad = append(rep.Bad, *rw.Bad)
			continue
		}
		batch = append(batch, rw)
		if len(batch) == DefaultBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	return rep, flush()
}

// importPeople writes one batch in one transaction. A row's checks all run
// before its writes, and its writes can fail only with a conflict, which
// leaves the transaction usable, so a bad row spoils nothing else.
func (s *Service) importPeople(ctx context.Context, rows []parse.PersonRow, rep *PeopleReport) error {
	if len(rows) == 0 {
		return nil
	}
	a := ActorOf(ctx)
	var part PeopleReport
	err := s.store.Update(ctx, func(tx Tx) error {
		part = PeopleReport{}
		cache := map[string][]Version{}
		for _, rw := range rows {
			added, existed, enrolled, err := s.importPerson(ctx, tx, a, rw, cache)
			switch code := tally.ErrorCodeOf(err); {
			case err == nil:
				part.Added += added
				part.Existed += existed
				part.Enrolled += enrolled
			case code == tally.EInternal:
				return fmt.Errorf("line %d: %w", rw.Line, err)
			default:
				part.Bad = append(part.Bad, parse.RowError{Line: rw.Line, Field: fieldOf(err), Ref: tally.MaskIdentifier(strings.ToUpper(rw.ID)), Code: string(code), Message: err.Error(), Err: err})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	rep.Added += part.Added
	rep.Existed += part.Existed
	rep.Enrolled += part.Enrolled
	rep.Bad = append(rep.Bad, part.Bad...)
	return nil
}

// personTx is what importing one person touches: the subject (added if
// new), its enrolments in the schemes the row names and the access log.
type personTx interface {
	Subjects
	Rulebooks
	Enrolments
	AccessLog
}

func (s *Service) importPerson(ctx context.Context, tx personTx, a *tally.Actor, rw parse.PersonRow, cache map[string][]Version) (added, existed, enrolled int, err error) {
	kind, err := tally.ParseSubjectKind(rw.Kind)
	if err != nil {
		return 0, 0, 0, tally.FieldErrorf("kind", "%v", err)
	}
	var in *Enrolment
	if rw.Scheme != "" {
		if err := mayRegister(a, rw.Scheme); err != nil {
			return 0, 0, 0, err
		}
		vs, ok := cache[rw.Scheme]
		if !ok {
			if vs, err = s.versions(ctx, tx, rw.Scheme); err != nil {
				return 0, 0, 0, err
			}
			cache[rw.Scheme] = vs
		}
		if !vs[len(vs)-1].Book.Accepts(kind) {
			return 0, 0, 0, tally.FieldErrorf("scheme", "scheme %s does not score a %s", rw.Scheme, kind)
		}
		given, err := parseConsent(rw.Consent, kind)
		if err != nil {
			return 0, 0, 0, err
		}
		in = &Enrolment{Scheme: rw.Scheme, Identifier: rw.ID, Unit: rw.Unit, Consent: given, How: rw.How}
		if err := checkEnrolmentText(*in); err != nil { // before the subject is written
			return 0, 0, 0, err
		}
	} else if err := mayRegister(a, ""); err != nil {
		return 0, 0, 0, err
	}
	subj, err := s.newSubject(NewSubject{Kind: kind, Identifier: rw.ID, Name: rw.Name})
	if err != nil {
		return 0, 0, 0, err
	}
	v, err := s.addSubject(ctx, tx, subj)
	if err != nil {
		return 0, 0, 0, err
	}
	if v.Existed {
		existed = 1
		if subj, err = tx.SubjectByID(ctx, v.ID); err != nil {
			return 0, 0, 0, err
		}
	} else {
		added = 1
	}
	if in == nil {
		return added, existed, 0, nil
	}
	ev, err := s.enrol(ctx, tx, subj, *in, a.Name)
	if err != nil {
		return 0, 0, 0, err
	}
	if !ev.Existed {
		enrolled = 1
	}
	return added, existed, enrolled, nil
}

// parseConsent reads a consent column: yes or no for a person, anything
// (or nothing) for an organisation, which is scored without consent.
func parseConsent(v string, kind tally.SubjectKind) (bool, error) {
	switch strings.ToLower(v) {
	case "yes", "y", "true", "1", "是", "同意":
		return true, nil
	case "no", "n", "false", "0", "否", "不同意":
		return false, nil
	case "":
		if kind == tally.Organisation {
			return true, nil
		}
	}
	return false, tally.FieldErrorf("consent", "%q: say yes or no; a person is scored only with consent", v)
}
