package ledger

import (
	"errors"
	"io"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/parse"
)

// reader returns a function yielding the rows of a records file as rows
// to record, io.EOF at the end; see parse.Records.
func reader(r io.Reader, format parse.Format) (func() (row, error), error) {
	next, err := parse.Records(r, format)
	if err != nil {
		return nil, err
	}
	return func() (row, error) {
		pr, err := next()
		if err != nil {
			return row{}, err
		}
		return row{line: pr.Line, at: pr.At, err: pr.Err, bad: pr.Bad, conduct: Conduct{
			Scheme: pr.Scheme, Identifier: pr.Subject, Rule: pr.Rule, Ref: pr.Ref, Evidence: pr.Evidence, By: pr.By,
			FactArgs: pr.FactArgs, Facts: pr.Facts,
		}}, nil
	}, nil
}

// fieldOf is the field an error names, if any.
func fieldOf(err error) string {
	var te *tally.Error
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}
