package wire

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// CloseRequest asks for a scheme's month to be closed (POST
// /schemes/{scheme}/closes); Period is "2026-11".
type CloseRequest struct {
	Period string `json:"period"`
}

// Closed is a close and whether this request made it (false: it was made
// before, and this is the same snapshot).
type Closed struct {
	Close *tally.Close `json:"close"`
	Made  bool         `json:"made"`
}

// Sheet is a closed month without its rows: the totals per unit and
// category, per category and overall, and the records that arrived late.
type Sheet struct {
	tally.Close
	Totals     []tally.CategoryTotal `json:"totals"`
	ByCategory []tally.CategoryTotal `json:"by_category"`
	Total      tally.CategoryTotal   `json:"total"`
	Late       []LateEntry           `json:"late_records"`
}

// LateEntry is a record that arrived after its month was closed.
type LateEntry = ledger.LateEntry

// HonourBoard is a closed month's honour board: only subjects who agreed
// to be named, never anyone for a low score.
type HonourBoard = ledger.HonourBoard

// Report is what anyone holding a printed report may learn from its code:
// when and for what it was issued, about whom (masked), and the SHA-256 of
// the document, to compare with the paper.
type Report struct {
	tally.IssuedReport
	Genuine bool `json:"genuine"`
}

// SpecialReportRequest asks for a special credit report (专项信用报告):
// the subject, the areas (schemes, "scheme/category" or "lists"; none:
// every area), the period as days (YYYY-MM-DD, at most 5 years back; to
// defaults to today), the purpose, the language (zh or en) and, when
// anyone but the subject asks, the reference of the subject's written
// authorisation.
type SpecialReportRequest struct {
	Subject       string   `json:"subject"`
	Areas         []string `json:"areas,omitempty"`
	From          string   `json:"from"`
	To            string   `json:"to,omitempty"`
	Purpose       string   `json:"purpose"`
	Authorisation string   `json:"authorisation,omitempty"`
	Lang          string   `json:"lang,omitempty"`
}

// SpecialReport is an issued special credit report: what was issued, and
// the sealed PDF (base64 in JSON).
type SpecialReport struct {
	Report   Report `json:"report"`
	Document []byte `json:"document"`
}
