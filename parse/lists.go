package parse

import (
	"bufio"
	"io"
	"strconv"
)

// listColumns are the columns of a list-entries file; all but aggravation
// are required.
var listColumns = []string{"list", "subject", "name", "case_number", "court", "decided", "notice", "grounds", "basis", "aggravation"}

// ListRow is one row of a list-entries file (CSV or an Excel workbook
// with the header list,subject,name,case_number,court,decided,notice,
// grounds,basis[,aggravation], each name in English or Chinese, see
// listHeaders; or JSON Lines with the English names), as text: the
// importer reads the dates in its catalogue's time zone.
type ListRow struct {
	Row
	List, Subject, Name, CaseNumber, Court, Decided, Notice, Grounds, Basis string
	Aggravation                                                             string // whole years; "" when not given
}

// jsonListRow is one line of a JSON Lines list file.
type jsonListRow struct {
	List        string `json:"list"`
	Subject     string `json:"subject"`
	Name        string `json:"name"`
	CaseNumber  string `json:"case_number"`
	Court       string `json:"court"`
	Decided     string `json:"decided"`
	Notice      string `json:"notice"`
	Grounds     string `json:"grounds"`
	Basis       string `json:"basis"`
	Aggravation *int   `json:"aggravation"`
}

// Listings reads a list-entries file in format (detected when "") and
// returns a function yielding its rows, io.EOF at the end, as Records
// does.
func Listings(r io.Reader, format Format) (func() (ListRow, error), error) {
	br, format, err := open(r, format)
	if err != nil {
		return nil, err
	}
	if format == JSONL {
		return jsonListings(br), nil
	}
	c, err := newTable(br, format, listHeaders)
	if err != nil {
		return nil, err
	}
	return func() (ListRow, error) {
		rec, line, bad, err := c.next()
		if err != nil {
			return ListRow{}, err
		}
		if bad != nil {
			return ListRow{Row: Row{Line: line, Bad: bad}}, nil
		}
		get := func(name string) string { return c.get(rec, name) }
		return ListRow{Row: Row{Line: line}, List: get("list"), Subject: get("subject"), Name: get("name"), CaseNumber: get("case_number"),
			Court: get("court"), Decided: get("decided"), Notice: get("notice"), Grounds: get("grounds"), Basis: get("basis"),
			Aggravation: get("aggravation")}, nil
	}, nil
}

func jsonListings(br *bufio.Reader) func() (ListRow, error) {
	j := newJSONLines(br)
	return func() (ListRow, error) {
		text, line, bad, err := j.next()
		if err != nil {
			return ListRow{}, err
		}
		var jr jsonListRow
		if bad == nil {
			bad = decodeLine(text, line, &jr, false)
		}
		if bad != nil {
			return ListRow{Row: Row{Line: line, Bad: bad}}, nil
		}
		rw := ListRow{Row: Row{Line: line}, List: jr.List, Subject: jr.Subject, Name: jr.Name, CaseNumber: jr.CaseNumber,
			Court: jr.Court, Decided: jr.Decided, Notice: jr.Notice, Grounds: jr.Grounds, Basis: jr.Basis}
		if jr.Aggravation != nil {
			rw.Aggravation = strconv.Itoa(*jr.Aggravation)
		}
		return rw, nil
	}
}
