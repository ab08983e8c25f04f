package report

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// labelNames are a report's fixed texts, each the catalogue's pdf.<name>.
var labelNames = []string{"title", "code", "issued", "purpose", "name", "id", "scheme", "score", "grade", "marks", "unscored", "records", "date", "rule", "points", "basis", "expires", "none", "never", "lists", "objections", "no-objections", "verify", "signed", "flags", "stars", "case", "court", "until", "missing", "disputed", "repaired", "special-title", "areas", "period", "authorisation", "in-scope", "lists-in-period", "period-to"}

// labelsIn are a report's fixed texts in lang, from the catalogue.
func labelsIn(lang string) map[string]string {
	m := messages.In(lang)
	out := make(map[string]string, len(labelNames))
	for _, n := range labelNames {
		out[n] = m.Text("pdf." + n)
	}
	return out
}

// messages are the catalogue's texts of data a report prints, such as
// grade and outcome names.
var messages = catalog.MustLoad()

// Layout is what a printed report needs besides its content.
type Layout struct {
	Font        string // a CJK .ttf file (FindFont)
	VerifyURL   string // the verification address without the code, e.g. https://credit.example.gov.cn/verify/
	Fingerprint string // of the signing key, printed at the foot
}

// PDF lays a report out on A4 in its language, with a QR code of the
// verification address and code. The same report and layout give the
// same bytes.
func PDF(r *ledger.Report, l Layout) ([]byte, error) {
	t := labelsIn(r.Lang)
	msgs := messages.In(r.Lang)
	url := l.VerifyURL + r.Code
	qr, err := qrcode.Encode(url, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(r.IssuedAt)
	p.SetModificationDate(r.IssuedAt)
	title, records, lists := t["title"], t["records"], t["lists"]
	if r.Special != nil {
		title, records, lists = t["special-title"], t["in-scope"], t["lists-in-period"]
	}
	p.SetTitle(title+" "+r.Code, true)
	p.SetSubject(r.Code, true)
	p.SetCreator("tally", true)
	ts, err := newTypesetter(p, l.Font)
	if err != nil {
		return nil, fmt.Errorf("report font: %w", err)
	}
	p.SetAutoPageBreak(true, 15)
	p.AddPage()
	p.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	p.ImageOptions("qr", 160, 10, 38, 38, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")

	p.SetFont("cjk", "", 20)
	p.Cell(0, 12, title)
	p.Ln(14)
	p.SetFont("cjk", "", 10)
	field := func(k, v string) {
		p.CellFormat(40, 6, t[k], "", 0, "L", false, 0, "")
		ts.block(100, 6, v, "", "L")
	}
	field("code", r.Code)
	zone := r.IssuedAt.Location() // the scheme's: the ledger says so
	field("issued", localtime.Stamp(r.IssuedAt, zone, r.Lang))
	field("purpose", r.Purpose)
	field("name", r.Name)
	subjectAt, logged := r.SubjectLogIndex()
	field("id", r.Subject+positionMark(subjectAt, logged, msgs))
	if sc := r.Special; sc != nil {
		names := make([]string, len(sc.AreaNames))
		for i, n := range sc.AreaNames {
			names[i] = n.In(r.Lang)
		}
		field("areas", strings.Join(names, "; "))
		field("period", localtime.Date(sc.From, zone)+" "+t["period-to"]+" "+localtime.Date(sc.To, zone))
		field("authorisation", sc.Authorisation)
	}
	p.Ln(4)
	for _, s := range r.Schemes {
		p.SetFont("cjk", "", 13)
		ts.block(0, 8, t["scheme"]+": "+s.Name.In(r.Lang), "B", "L")
		p.SetFont("cjk", "", 10)
		switch {
		case r.Special != nil: // a special report lists its scope, not today's standing
		case !s.Score.Scored:
			field("score", t["unscored"]+": "+s.Score.Unscored)
		default:
			field("score", strconv.FormatInt(*s.Score.Score, 10))
			if s.Score.Grade != nil {
				field("grade", msgs.TextOr("grade."+*s.Score.Grade, *s.Score.Grade))
			}
			if m := s.Score.Marks; m != nil {
				field("marks", fmt.Sprintf("%d %s, %d %s", m.Flags, t["flags"], m.Stars, t["stars"]))
			}
		}
		p.SetFont("cjk", "", 11)
		p.Cell(0, 8, records)
		p.Ln(8)
		p.SetFont("cjk", "", 8)
		if len(s.InEffect) == 0 {
			p.Cell(0, 5, t["none"])
			p.Ln(6)
		}
		widths := []float64{22, 58, 14, 74, 22}
		for i, h := range []string{"date", "rule", "points", "basis", "expires"} {
			if len(s.InEffect) > 0 {
				p.CellFormat(widths[i], 6, t[h], "1", 0, "L", false, 0, "")
			}
		}
		if len(s.InEffect) > 0 {
			p.Ln(6)
		}
		for _, e := range s.InEffect {
			expires := t["never"]
			if !e.ExpiresAt.IsZero() {
				expires = localtime.Date(e.ExpiresAt, zone)
			}
			basis := e.Basis.In(r.Lang)
			if basis == "" {
				basis = "-"
			}
			cells := []string{localtime.Date(e.HappenedAt, zone), e.Title.In(r.Lang) + " (" + e.Rule + ")" + repairedMark(e, t) + disputedMark(e.Disputed, t) +
				logMark(r, ledger.LogRecord, e.ID, msgs),
				strconv.FormatInt(e.Awarded, 10), basis, expires}
			ts.row(widths, cells)
		}
		p.Ln(4)
	}
	p.SetFont("cjk", "", 11)
	p.Cell(0, 8, lists)
	p.Ln(8)
	p.SetFont("cjk", "", 9)
	if len(r.Lists) == 0 {
		p.Cell(0, 5, t["none"])
		p.Ln(6)
	}
	for _, le := range r.Lists {
		ts.block(0, 5, fmt.Sprintf("%s · %s %s · %s %s · %s · %s %s", le.List, t["case"], le.CaseNumber, t["court"], le.Court,
			le.Basis, localtime.Date(le.Since, zone), t["until"]+" "+localtime.Date(le.Until, zone))+disputedMark(le.Disputed, t)+logMark(r, ledger.LogListEntry, le.ID, msgs), "", "L")
	}
	p.Ln(2)
	p.SetFont("cjk", "", 11)
	p.Cell(0, 8, t["objections"])
	p.Ln(8)
	p.SetFont("cjk", "", 9)
	if len(r.Objections) == 0 {
		p.Cell(0, 5, t["no-objections"])
		p.Ln(6)
	}
	for _, o := range r.Objections {
		ts.block(0, 5, fmt.Sprintf("#%d: %s: %s", o.Record, o.Filed, msgs.TextOr("outcome."+o.Outcome, o.Outcome)), "", "L")
	}
	p.Ln(4)
	p.SetFont("cjk", "", 8)
	ts.block(0, 4.5, t["verify"]+" "+url, "", "L")
	ts.block(0, 4.5, t["signed"]+" "+l.Fingerprint, "", "L")
	if lg := r.Log; lg != nil {
		root := lg.Root.String()
		ts.block(0, 4.5, msgs.Text("pdf.log_checkpoint", lg.Size, root[:12]), "", "L")
	}
	if note := ts.footnote(t["missing"]); note != "" {
		ts.block(0, 4.5, note, "", "L")
	}
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, fmt.Errorf("write report pdf: %w", err)
	}
	return out.Bytes(), nil
}

// disputedMark is what follows an entry under objection: " [有异议]".
func disputedMark(disputed bool, t map[string]string) string {
	if !disputed {
		return ""
	}
	return " [" + t["disputed"] + "]"
}

// logMark is what follows an entry the report proves is in the public
// log: " · 公开日志第 N 条".
func logMark(r *ledger.Report, kind ledger.LogKind, id int64, msgs catalog.Catalogue) string {
	i, ok := r.LogIndex(kind, id)
	return positionMark(i, ok, msgs)
}

// positionMark returns what follows an entry at position i of the public
// log, "" when it is not known (!ok).
func positionMark(i int64, ok bool, msgs catalog.Catalogue) string {
	if !ok {
		return ""
	}
	return " · " + msgs.Text("pdf.log_position", i)
}

// repairedMark is what follows a record whose effect an approved repair
// ended: " [已修复]".
func repairedMark(e ledger.Entry, t map[string]string) string {
	if e.RepairedAt.IsZero() {
		return ""
	}
	return " [" + t["repaired"] + "]"
}

// row draws a table row whose cells wrap, all as tall as the tallest.
func (ts *typesetter) row(widths []float64, cells []string) {
	const lh = 4.5
	p := ts.p
	lines := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines[i] = ts.lines(c, widths[i]-2)
		n = max(n, len(lines[i]))
	}
	h := float64(n) * lh
	_, pageH := p.GetPageSize()
	_, _, _, bottom := p.GetMargins()
	if p.GetY()+h > pageH-bottom {
		p.AddPage()
	}
	x, y := p.GetXY()
	left := x
	for i, ls := range lines {
		p.Rect(x, y, widths[i], h, "D")
		for j, l := range ls {
			ts.line(x+1, y+float64(j)*lh, widths[i]-2, lh, l, "L")
		}
		x += widths[i]
	}
	p.SetXY(left, y+h)
}
