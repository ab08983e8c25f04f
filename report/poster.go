package report

import (
	"bytes"
	"fmt"
	"html"
	"math"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/tallycredit/tally/ledger"
)

// posterNames are a poster's fixed texts, each the catalogue's poster.<name>.
var posterNames = []string{"title", "models", "all", "points", "legend", "missing"}

// A3 in millimetres, where the lists start, the height of a line, and
// the width of a name and of each further line a long name takes.
const (
	a3W, a3H      = 297.0, 420.0
	posterTop     = 70.0
	posterLine    = 9.0
	posterNameW   = 88.0
	posterNameGap = 6.5
)

func posterText(lang string) map[string]string {
	m := messages.In(lang)
	out := make(map[string]string, len(posterNames))
	for _, n := range posterNames {
		out[n] = m.Text("poster." + n)
	}
	return out
}

// legend is the board's rule, or "" for a scheme without one.
func legend(b *ledger.HonourBoard, t map[string]string) string {
	if b.Board == nil {
		return ""
	}
	return fmt.Sprintf(t["legend"], b.Board.Star, b.Board.Flag)
}

// PosterSVG draws an honour board as an A3 SVG poster: the role models,
// then everyone with their flags (red) and stars (gold). It has no script
// and escapes every name; the same board gives the same bytes.
func PosterSVG(b *ledger.HonourBoard, lang string) []byte {
	t := posterText(lang)
	rows := len(b.RoleModels) + len(b.Entries) + 4
	height := math.Max(a3H, posterTop+float64(rows)*posterLine+20)
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="%gmm" viewBox="0 0 297 %g" font-family="sans-serif">`, height, height)
	fmt.Fprintf(&s, `<rect width="297" height="%g" fill="#fffaf0"/>`, height)
	fmt.Fprintf(&s, `<text x="148.5" y="32" font-size="20" text-anchor="middle" fill="#b00000">%s</text>`, html.EscapeString(t["title"]))
	fmt.Fprintf(&s, `<text x="148.5" y="46" font-size="9" text-anchor="middle">%s · %s</text>`, html.EscapeString(b.Name.In(lang)), b.Period)
	fmt.Fprintf(&s, `<text x="148.5" y="56" font-size="5" text-anchor="middle">%s</text>`, html.EscapeString(legend(b, t)))
	y := posterTop
	section := func(title string, es []ledger.BoardEntry) {
		fmt.Fprintf(&s, `<text x="20" y="%g" font-size="8" fill="#b00000">%s</text>`, y, html.EscapeString(title))
		y += posterLine
		for _, e := range es {
			name := e.Name
			if e.Unit != "" {
				name += " (" + e.Unit + ")"
			}
			fmt.Fprintf(&s, `<text x="20" y="%g" font-size="6">%d. %s</text>`, y, e.Rank, html.EscapeString(name))
			x := 110.0
			for i := int64(0); i < e.Flags && i < 20; i++ {
				fmt.Fprintf(&s, `<path d="M%g %g v-6 l5 1.5 l-5 1.5" stroke="#600" stroke-width="0.4" fill="#d00000"/>`, x, y)
				x += 6
			}
			for i := int64(0); i < e.Stars && i < 20; i++ {
				fmt.Fprintf(&s, `<path d="%s" fill="#e6a800"/>`, starPath(x+2.5, y-2.5, 2.6))
				x += 5.5
			}
			fmt.Fprintf(&s, `<text x="277" y="%g" font-size="6" text-anchor="end">%d %s</text>`, y, e.Score, html.EscapeString(t["points"]))
			y += posterLine
		}
		y += posterLine
	}
	section(t["models"], b.RoleModels)
	section(t["all"], b.Entries)
	s.WriteString(`</svg>`)
	return []byte(s.String())
}

// starPoints are a five-pointed star's corners around (cx, cy).
func starPoints(cx, cy, r float64) []fpdf.PointType {
	var pts []fpdf.PointType
	for i := 0; i < 10; i++ {
		rad := r
		if i%2 == 1 {
			rad = r * 0.4
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts = append(pts, fpdf.PointType{X: cx + rad*math.Cos(a), Y: cy + rad*math.Sin(a)})
	}
	return pts
}

func starPath(cx, cy, r float64) string {
	var b strings.Builder
	for i, p := range starPoints(cx, cy, r) {
		cmd := "L"
		if i == 0 {
			cmd = "M"
		}
		fmt.Fprintf(&b, "%s%.2f %.2f ", cmd, p.X, p.Y)
	}
	b.WriteString("Z")
	return b.String()
}

// PosterPDF draws the same poster as PosterSVG on A3 pages, in the CJK
// font at fontPath.
func PosterPDF(b *ledger.HonourBoard, lang, fontPath string) ([]byte, error) {
	t := posterText(lang)
	p := fpdf.New("P", "mm", "A3", "")
	p.SetCreator("tally", true)
	ts, err := newTypesetter(p, fontPath)
	if err != nil {
		return nil, fmt.Errorf("poster font: %w", err)
	}
	p.SetAutoPageBreak(false, 0)
	p.AddPage()
	p.SetFont("cjk", "", 48)
	p.SetTextColor(176, 0, 0)
	p.SetXY(0, 18)
	p.CellFormat(a3W, 20, t["title"], "", 1, "C", false, 0, "")
	p.SetTextColor(0, 0, 0)
	p.SetFont("cjk", "", 20)
	p.SetX(0)
	ts.block(a3W, 12, b.Name.In(lang)+" · "+b.Period, "", "C")
	p.SetFont("cjk", "", 11)
	p.CellFormat(a3W, 8, legend(b, t), "", 1, "C", false, 0, "")
	y := posterTop
	next := func() {
		y += posterLine
		if y > a3H-20 {
			p.AddPage()
			y = 20
		}
	}
	section := func(title string, es []ledger.BoardEntry) {
		p.SetFont("cjk", "", 20)
		p.SetTextColor(176, 0, 0)
		p.Text(20, y, title)
		p.SetTextColor(0, 0, 0)
		next()
		p.SetFont("cjk", "", 15)
		for _, e := range es {
			name := e.Name
			if e.Unit != "" {
				name += " (" + e.Unit + ")"
			}
			lines := ts.lines(fmt.Sprintf("%d. %s", e.Rank, name), posterNameW)
			for i, l := range lines {
				ts.text(20, y+float64(i)*posterNameGap, l)
			}
			x := 110.0
			p.SetFillColor(208, 0, 0)
			for i := int64(0); i < e.Flags && i < 20; i++ {
				p.Polygon([]fpdf.PointType{{X: x, Y: y}, {X: x, Y: y - 6}, {X: x + 5, Y: y - 4.5}, {X: x, Y: y - 3}}, "F")
				x += 6
			}
			p.SetFillColor(230, 168, 0)
			for i := int64(0); i < e.Stars && i < 20; i++ {
				p.Polygon(starPoints(x+2.5, y-2.5, 2.6), "F")
				x += 5.5
			}
			p.SetXY(a3W-80, y-6)
			p.CellFormat(60, 7, fmt.Sprintf("%d %s", e.Score, t["points"]), "", 0, "R", false, 0, "")
			y += float64(len(lines)-1) * posterNameGap
			next()
		}
		next()
	}
	section(t["models"], b.RoleModels)
	section(t["all"], b.Entries)
	if note := ts.footnote(t["missing"]); note != "" {
		p.SetFont("cjk", "", 11)
		p.SetXY(20, y)
		ts.block(a3W-40, 6, note, "", "L")
	}
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, fmt.Errorf("write poster pdf: %w", err)
	}
	return out.Bytes(), nil
}
