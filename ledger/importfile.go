package ledger

import (
	"bufio"
	"io"
	"strings"

	"github.com/tallycredit/tally"
)

// reader returns a function yielding the file's rows one by one, io.EOF
// at the end. A row that cannot be read as a row (see FileError) comes
// back with bad set, a row whose content is wrong with err set; an error
// of the file as a whole (a bad header) is returned at once.
func reader(r io.Reader, format Format) (func() (row, error), error) {
	br := bufio.NewReaderSize(r, MaxRowBytes)
	switch detectFormat(br, format) {
	case CSV:
		return csvReader(br)
	case JSONL:
		return jsonlReader(br), nil
	}
	return nil, tally.FieldErrorf("format", "unknown import format %q (want csv or jsonl)", format)
}

// recordColumns are the columns of a records file; the first five are
// required.
var recordColumns = []string{"scheme", "subject", "rule", "at", "ref", "facts", "evidence", "by"}

func csvReader(r io.Reader) (func() (row, error), error) {
	c, err := newCSVRows(r, recordColumns, 5)
	if err != nil {
		return nil, err
	}
	return func() (row, error) {
		rec, line, bad, err := c.next()
		if err != nil {
			return row{}, err
		}
		if bad != nil {
			return row{line: line, bad: bad}, nil
		}
		get := func(name string) string { return c.get(rec, name) }
		rw := row{line: line, at: get("at"), conduct: Conduct{
			Scheme: get("scheme"), Identifier: get("subject"), Rule: get("rule"),
			Ref: get("ref"), Evidence: get("evidence"), By: get("by"), FactArgs: []string{},
		}}
		for _, kv := range strings.Split(get("facts"), ";") {
			if kv = strings.TrimSpace(kv); kv != "" {
				rw.conduct.FactArgs = append(rw.conduct.FactArgs, kv)
			}
		}
		return rw, nil
	}, nil
}

// jsonRow is one line of a JSON Lines import.
type jsonRow struct {
	Scheme   string         `json:"scheme"`
	Subject  string         `json:"subject"`
	Rule     string         `json:"rule"`
	At       string         `json:"at"`
	Ref      string         `json:"ref"`
	Facts    map[string]any `json:"facts"`
	Evidence string         `json:"evidence"`
	By       string         `json:"by"`
}

func jsonlReader(br *bufio.Reader) func() (row, error) {
	j := newJSONLines(br)
	return func() (row, error) {
		text, line, bad, err := j.next()
		if err != nil {
			return row{}, err
		}
		if bad == nil {
			var jr jsonRow
			if bad = decodeLine(text, line, &jr, true); bad == nil {
				rw := row{line: line, at: jr.At, conduct: Conduct{Scheme: jr.Scheme, Identifier: jr.Subject, Rule: jr.Rule,
					Ref: jr.Ref, Evidence: jr.Evidence, By: jr.By, Facts: jr.Facts}}
				if rw.conduct.Facts == nil {
					rw.conduct.Facts = map[string]any{}
				}
				if jr.At == "" {
					rw.err = tally.FieldErrorf("at", "say when the conduct happened")
				}
				return rw, nil
			}
		}
		return row{line: line, bad: bad}, nil
	}
}

// checkRows reads every row of a file once, writing nothing, and returns
// a *FileError listing the malformed ones, if any.
func checkRows[T any](next func() (T, error), bad func(T) *RowError) error {
	var m malformed
	for {
		rw, err := next()
		if err == io.EOF {
			return m.err()
		}
		if err != nil {
			return err
		}
		m.add(bad(rw))
	}
}
