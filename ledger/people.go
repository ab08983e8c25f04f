package ledger

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/tallycredit/tally"
)

// PeopleReport counts a subjects import's rows.
type PeopleReport struct {
	Rows     int        `json:"rows"`
	Added    int        `json:"added"`
	Existed  int        `json:"existed"`
	Enrolled int        `json:"enrolled"` // new enrolments
	Bad      []RowError `json:"bad"`
}

// peopleColumns are the columns of a subjects file; kind, id and name are
// required, and scheme names the scheme to enrol in (with unit, consent
// and how).
var peopleColumns = []string{"kind", "id", "name", "scheme", "unit", "consent", "how"}

// ImportPeople adds (and, where a row names a scheme, enrols) the subjects
// of a CSV file with the header kind,id,name[,scheme,unit,consent,how], in
// transactions of DefaultBatch rows, reporting every bad row with its line
// and keeping every good one. It first reads the whole file without
// writing: if any row cannot be read as a row it returns a *FileError
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
	next, err := peopleReader(in)
	if err != nil {
		return nil, err
	}
	if err := checkRows(next, func(rw personRow) *RowError { return rw.bad }); err != nil {
		return nil, err
	}
	if in, err = src.again(); err != nil {
		return nil, err
	}
	if next, err = peopleReader(in); err != nil {
		return nil, err
	}
	rep := &PeopleReport{Bad: []RowError{}}
	var batch []personRow
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
		if rw.bad != nil { // the file changed between the readings
			rep.Bad = append(rep.Bad, *rw.bad)
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

// personRow is one row of a subjects file.
type personRow struct {
	line                                       int
	kind, id, name, scheme, unit, consent, how string
	bad                                        *RowError // the row cannot be read
}

// peopleReader reads a subjects file's header and returns a function
// yielding its rows, io.EOF at the end.
func peopleReader(r io.Reader) (func() (personRow, error), error) {
	c, err := newCSVRows(r, peopleColumns, 3)
	if err != nil {
		return nil, err
	}
	return func() (personRow, error) {
		rec, line, bad, err := c.next()
		if err != nil || bad != nil {
			return personRow{line: line, bad: bad}, err
		}
		get := func(name string) string { return c.get(rec, name) }
		return personRow{line: line, kind: get("kind"), id: get("id"), name: get("name"),
			scheme: get("scheme"), unit: get("unit"), consent: get("consent"), how: get("how")}, nil
	}, nil
}

// importPeople writes one batch in one transaction. A row's checks all run
// before its writes, and its writes can fail only with a conflict, which
// leaves the transaction usable, so a bad row spoils nothing else.
func (s *Service) importPeople(ctx context.Context, rows []personRow, rep *PeopleReport) error {
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
				return fmt.Errorf("line %d: %w", rw.line, err)
			default:
				part.Bad = append(part.Bad, RowError{Line: rw.line, Field: fieldOf(err), Ref: tally.MaskIdentifier(strings.ToUpper(rw.id)), Code: string(code), Message: err.Error()})
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

func (s *Service) importPerson(ctx context.Context, tx personTx, a *tally.Actor, rw personRow, cache map[string][]Version) (added, existed, enrolled int, err error) {
	kind, err := tally.ParseSubjectKind(rw.kind)
	if err != nil {
		return 0, 0, 0, tally.FieldErrorf("kind", "%v", err)
	}
	var in *Enrolment
	if rw.scheme != "" {
		if err := mayRegister(a, rw.scheme); err != nil {
			return 0, 0, 0, err
		}
		vs, ok := cache[rw.scheme]
		if !ok {
			if vs, err = s.versions(ctx, tx, rw.scheme); err != nil {
				return 0, 0, 0, err
			}
			cache[rw.scheme] = vs
		}
		if !vs[len(vs)-1].Book.Accepts(kind) {
			return 0, 0, 0, tally.FieldErrorf("scheme", "scheme %s does not score a %s", rw.scheme, kind)
		}
		given, err := parseConsent(rw.consent, kind)
		if err != nil {
			return 0, 0, 0, err
		}
		in = &Enrolment{Scheme: rw.scheme, Identifier: rw.id, Unit: rw.unit, Consent: given, How: rw.how}
	} else if err := mayRegister(a, ""); err != nil {
		return 0, 0, 0, err
	}
	subj, err := s.newSubject(NewSubject{Kind: kind, Identifier: rw.id, Name: rw.name})
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
