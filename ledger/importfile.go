package ledger

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tallycredit/tally"
)

// reader returns a function yielding the file's rows one by one, io.EOF
// at the end. A row that cannot be parsed comes back with err set; an
// error of the file as a whole (a bad header) is returned at once.
func reader(r io.Reader, format Format) (func() (row, error), error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if format == "" {
		head, _ := br.Peek(512)
		format = CSV
		if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
			format = JSONL
		}
	}
	switch format {
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

// csvHeader reads a CSV file's header and returns the index of each column
// by its lower-case name. Every column must be one of known and the first
// required of known must be present.
func csvHeader(cr *csv.Reader, known []string, required int) (map[string]int, int, error) {
	header, err := cr.Read()
	if err != nil {
		return nil, 0, &tally.Error{Code: tally.EInvalid, Line: 1, Message: fmt.Sprintf("cannot read the CSV header: %v", err)}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !slices.Contains(known, h) {
			return nil, 0, &tally.Error{Code: tally.EInvalid, Line: 1, Field: "header", Message: fmt.Sprintf("unknown column %q (want %s)", h, strings.Join(known, ", "))}
		}
		col[h] = i
	}
	for _, need := range known[:required] {
		if _, ok := col[need]; !ok {
			return nil, 0, &tally.Error{Code: tally.EInvalid, Line: 1, Field: "header", Message: fmt.Sprintf("missing column %q", need)}
		}
	}
	return col, len(header), nil
}

// field returns column name of a CSV record, trimmed; "" when absent.
func field(col map[string]int, rec []string, name string) string {
	if i, ok := col[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
}

func csvReader(r io.Reader) (func() (row, error), error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	col, width, err := csvHeader(cr, recordColumns, 5)
	if err != nil {
		return nil, err
	}
	return func() (row, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return row{}, io.EOF
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return row{line: pe.Line, err: tally.Errorf(tally.EInvalid, "%v", pe.Err)}, nil
			}
			return row{}, err
		}
		get := func(name string) string { return field(col, rec, name) }
		rw := row{line: line, at: get("at"), conduct: Conduct{
			Scheme: get("scheme"), Identifier: get("subject"), Rule: get("rule"),
			Ref: get("ref"), Evidence: get("evidence"), By: get("by"), FactArgs: []string{},
		}}
		if len(rec) != width {
			rw.err = tally.Errorf(tally.EInvalid, "has %d fields, the header %d", len(rec), width)
		}
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

func jsonlReader(r *bufio.Reader) func() (row, error) {
	line := 0
	return func() (row, error) {
		for {
			text, err := r.ReadBytes('\n')
			if len(text) == 0 && err != nil {
				return row{}, err
			}
			line++
			text = bytes.TrimSpace(text)
			if len(text) == 0 {
				continue
			}
			var jr jsonRow
			dec := json.NewDecoder(bytes.NewReader(text))
			dec.DisallowUnknownFields()
			dec.UseNumber()
			rw := row{line: line}
			if derr := dec.Decode(&jr); derr != nil {
				rw.err = tally.Errorf(tally.EInvalid, "not a valid row: %v", derr)
				return rw, nil
			}
			rw.at = jr.At
			rw.conduct = Conduct{Scheme: jr.Scheme, Identifier: jr.Subject, Rule: jr.Rule, Ref: jr.Ref, Evidence: jr.Evidence, By: jr.By, Facts: jr.Facts}
			if rw.conduct.Facts == nil {
				rw.conduct.Facts = map[string]any{}
			}
			if jr.At == "" {
				rw.err = tally.FieldErrorf("at", "say when the conduct happened")
			}
			return rw, nil
		}
	}
}
