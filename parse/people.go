package parse

import "io"

// personColumns are the columns of a subjects file; kind, id and name are
// required, and scheme names the scheme to enrol in (with unit, consent
// and how).
var personColumns = []string{"kind", "id", "name", "scheme", "unit", "consent", "how"}

// PersonRow is one row of a subjects file (CSV or an Excel workbook with
// the header kind,id,name[,scheme,unit,consent,how], each name in English
// or Chinese, see personHeaders), as text.
type PersonRow struct {
	Row
	Kind, ID, Name, Scheme, Unit, Consent, How string
}

// People reads a subjects file's header (a workbook is told by its first
// bytes; anything else is CSV) and returns a function yielding its rows,
// io.EOF at the end, as Records does.
func People(r io.Reader) (func() (PersonRow, error), error) {
	br, format, _ := open(r, "")
	if format != XLSX {
		format = CSV
	}
	c, err := newTable(br, format, personHeaders)
	if err != nil {
		return nil, err
	}
	return func() (PersonRow, error) {
		rec, line, bad, err := c.next()
		if err != nil || bad != nil {
			return PersonRow{Row: Row{Line: line, Bad: bad}}, err
		}
		get := func(name string) string { return c.get(rec, name) }
		return PersonRow{Row: Row{Line: line}, Kind: get("kind"), ID: get("id"), Name: get("name"),
			Scheme: get("scheme"), Unit: get("unit"), Consent: get("consent"), How: get("how")}, nil
	}, nil
}
