package tally

import "strings"

// SafeCell returns text to put in a cell of a spreadsheet export (CSV or
// workbook) so that a spreadsheet shows it and never runs it: text whose
// first character other than a space is =, +, -, @, a tab or a carriage
// return (which Excel, LibreOffice and Google Sheets read as the start of
// a formula, a formula that can fetch a URL or run a command) gets a
// single quote in front, which spreadsheets take as "this is text". Any
// other text is returned as it is. Use it on text cells only: a number in
// a numeric column (-5 points) is written as it is.
func SafeCell(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
