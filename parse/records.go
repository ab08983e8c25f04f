package parse

import (
	"bufio"
	"io"
	"strings"

	"github.com/tallycredit/tally"
)

// recordColumns are the columns of a records file; the first five are
// required.
var recordColumns = []string{"scheme", "subject", "rule", "at", "ref", "facts", "evidence", "by"}

// RecordRow is one row of a records file (CSV or an Excel workbook with
// the header scheme,subject,rule,at,ref[,facts][,evidence][,by], each
// name in English or Chinese, see recordHeaders; or JSON Lines with the
// English names and facts an object), as written.
type RecordRow struct {
	Row
	Scheme, Subject, Rule, At, Ref, Evidence, By string
	// FactArgs are a CSV row's facts as name=value (never nil from CSV);
	// Facts are a JSON row's (never nil from JSON Lines).
	FactArgs []string
	Facts    map[string]any
	// Err says what is wrong with a row that reads but cannot be
	// recorded (a JSON row without at); the rest of the file goes on.
	Err error
}

// jsonRecord is one line of a JSON Lines records file.
type jsonRecord struct {
	Scheme   string         `json:"scheme"`
	Subject  string         `json:"subject"`
	Rule     string         `json:"rule"`
	At       string         `json:"at"`
	Ref      string         `json:"ref"`
	Facts    map[string]any `json:"facts"`
	Evidence string         `json:"evidence"`
	By       string         `json:"by"`
}

// Records reads a records file in format (detected from its first bytes
// when "") and returns a function yielding its rows one by one,
// io.EOF at the end. A row that cannot be read as a row (see FileError)
// comes back with Bad set; an error of the file as a whole (a bad header,
// an unknown format) is returned at once.
func Records(r io.Reader, format Format) (func() (RecordRow, error), error) {
	br, format, err := open(r, format)
	if err != nil {
		return nil, err
	}
	if format == JSONL {
		return jsonRecords(br), nil
	}
	return tableRecords(br, format)
}

func tableRecords(br *bufio.Reader, format Format) (func() (RecordRow, error), error) {
	c, err := newTable(br, format, recordHeaders)
	if err != nil {
		return nil, err
	}
	return func() (RecordRow, error) {
		rec, line, bad, err := c.next()
		if err != nil {
			return RecordRow{}, err
		}
		if bad != nil {
			return RecordRow{Row: Row{Line: line, Bad: bad}}, nil
		}
		get := func(name string) string { return c.get(rec, name) }
		rw := RecordRow{Row: Row{Line: line}, Scheme: get("scheme"), Subject: get("subject"), Rule: get("rule"), At: get("at"),
			Ref: get("ref"), Evidence: get("evidence"), By: get("by"), FactArgs: []string{}}
		for _, kv := range strings.Split(get("facts"), ";") {
			if kv = strings.TrimSpace(kv); kv != "" {
				rw.FactArgs = append(rw.FactArgs, kv)
			}
		}
		return rw, nil
	}, nil
}

func jsonRecords(br *bufio.Reader) func() (RecordRow, error) {
	j := newJSONLines(br)
	return func() (RecordRow, error) {
		text, line, bad, err := j.next()
		if err != nil {
			return RecordRow{}, err
		}
		var jr jsonRecord
		if bad == nil {
			bad = decodeLine(text, line, &jr, true)
		}
		if bad != nil {
			return RecordRow{Row: Row{Line: line, Bad: bad}}, nil
		}
		rw := RecordRow{Row: Row{Line: line}, Scheme: jr.Scheme, Subject: jr.Subject, Rule: jr.Rule, At: jr.At,
			Ref: jr.Ref, Evidence: jr.Evidence, By: jr.By, Facts: jr.Facts}
		if rw.Facts == nil {
			rw.Facts = map[string]any{}
		}
		if jr.At == "" {
			rw.Err = tally.FieldErrorf("at", "say when the conduct happened")
		}
		return rw, nil
	}
}
