package chart_test

import (
	"encoding/xml"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally/web/chart"
)

// node is a parsed SVG element.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Text    string     `xml:",chardata"`
	Nodes   []node     `xml:",any"`
}

// attr returns the value of the attribute with the given local name.
func (n node) attr(name string) (string, bool) {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// num returns a numeric attribute, failing the test unless it is a finite
// number.
func (n node) num(tb testing.TB, name string) float64 {
	tb.Helper()
	s, ok := n.attr(name)
	if !ok {
		tb.Fatalf("<%s> has no %s", n.XMLName.Local, name)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		tb.Fatalf("<%s %s=%q>: not a finite number", n.XMLName.Local, name, s)
	}
	return v
}

// all returns every element below n (n included) with the given local
// name, in document order.
func (n node) all(name string) []node {
	var out []node
	var walk func(node)
	walk = func(m node) {
		if m.XMLName.Local == name {
			out = append(out, m)
		}
		for _, c := range m.Nodes {
			walk(c)
		}
	}
	walk(n)
	return out
}

// texts returns the content of every <text> element.
func (n node) texts() []string {
	var out []string
	for _, t := range n.all("text") {
		out = append(out, t.Text)
	}
	return out
}

// svg is a parsed chart with its viewBox size.
type svg struct {
	root          node
	width, height float64
}

// parse checks that out is one well-formed XML element, an accessible SVG
// that scales to its container and fetches nothing, with every coordinate
// inside its viewBox, and returns it parsed.
func parse(tb testing.TB, out string) svg {
	tb.Helper()
	// Well-formed: the strict decoder reads every token of exactly one
	// root element and nothing but white space after it.
	dec := xml.NewDecoder(strings.NewReader(out))
	depth, roots := 0, 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			tb.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && strings.TrimSpace(string(t)) != "" {
				tb.Fatalf("text outside the root element: %q", t)
			}
		case xml.ProcInst, xml.Directive:
			tb.Fatalf("unexpected %T in a chart", t)
		}
	}
	if roots != 1 || depth != 0 {
		tb.Fatalf("got %d root elements (depth %d at the end), want one", roots, depth)
	}
	var root node
	if err := xml.Unmarshal([]byte(out), &root); err != nil {
		tb.Fatal(err)
	}
	if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
		tb.Fatalf("root is %v, want svg in the SVG namespace", root.XMLName)
	}

	// Scales to the container.
	if w, _ := root.attr("width"); w != "100%" {
		tb.Errorf(`width=%q, want "100%%"`, w)
	}
	if h, ok := root.attr("height"); ok {
		tb.Errorf("height=%q: the height must follow from the viewBox", h)
	}
	vb, _ := root.attr("viewBox")
	var x0, y0, w, h float64
	if _, err := fmt.Sscanf(vb, "%g %g %g %g", &x0, &y0, &w, &h); err != nil || x0 != 0 || y0 != 0 || w <= 0 || h <= 0 {
		tb.Fatalf("viewBox=%q", vb)
	}

	// Accessible: an image labelled by its title and description.
	if r, _ := root.attr("role"); r != "img" {
		tb.Errorf(`role=%q, want "img"`, r)
	}
	ids := strings.Fields(must(root.attr("aria-labelledby")))
	if len(ids) != 2 {
		tb.Fatalf("aria-labelledby=%v, want the title's and the desc's ids", ids)
	}
	for i, name := range []string{"title", "desc"} {
		if len(root.Nodes) <= i || root.Nodes[i].XMLName.Local != name {
			tb.Fatalf("child %d of <svg> is not <%s>", i, name)
		}
		if id, _ := root.Nodes[i].attr("id"); id != ids[i] {
			tb.Errorf("<%s id=%q>, want %q from aria-labelledby", name, id, ids[i])
		}
	}

	// Self-contained: nothing to run and nothing to fetch. (The xmlns URI
	// is a name, never fetched.)
	rest := strings.Replace(out, `xmlns="http://www.w3.org/2000/svg"`, "", 1)
	for _, bad := range []string{"<script", "href", "url(", "http:", "https:", "@import", "<style", "javascript:", "onload", "<foreignObject", "<image"} {
		if strings.Contains(strings.ToLower(rest), strings.ToLower(bad)) {
			tb.Errorf("output contains %q", bad)
		}
	}
	for _, bad := range []string{"NaN", "Inf", "e+"} {
		for _, n := range append(root.all("line"), append(root.all("rect"), append(root.all("circle"), root.all("polyline")...)...)...) {
			for _, a := range n.Attrs {
				if strings.Contains(a.Value, bad) {
					tb.Errorf("<%s %s=%q>", n.XMLName.Local, a.Name.Local, a.Value)
				}
			}
		}
	}

	// Every coordinate lies inside the viewBox.
	inside := func(what string, x, y float64) {
		tb.Helper()
		if x < 0 || x > w || y < 0 || y > h {
			tb.Errorf("%s at (%g, %g) is outside the %gx%g viewBox", what, x, y, w, h)
		}
	}
	for _, n := range root.all("line") {
		inside("line start", n.num(tb, "x1"), n.num(tb, "y1"))
		inside("line end", n.num(tb, "x2"), n.num(tb, "y2"))
	}
	for _, n := range root.all("text") {
		inside("text", n.num(tb, "x"), n.num(tb, "y"))
	}
	for _, n := range root.all("circle") {
		inside("circle", n.num(tb, "cx"), n.num(tb, "cy"))
	}
	for _, n := range root.all("rect") {
		if _, ok := n.attr("x"); !ok {
			continue // the background
		}
		x, y := n.num(tb, "x"), n.num(tb, "y")
		inside("rect", x, y)
		inside("rect end", x+n.num(tb, "width"), y+n.num(tb, "height"))
	}
	for _, p := range root.all("polyline") {
		for _, pt := range points(tb, p) {
			inside("polyline point", pt[0], pt[1])
		}
	}
	return svg{root: root, width: w, height: h}
}

// must returns the value and ignores whether it was found.
func must(s string, _ bool) string { return s }

// points returns the points of a polyline.
func points(tb testing.TB, p node) [][2]float64 {
	tb.Helper()
	var out [][2]float64
	for _, pair := range strings.Fields(must(p.attr("points"))) {
		xs, ys, ok := strings.Cut(pair, ",")
		x, err1 := strconv.ParseFloat(xs, 64)
		y, err2 := strconv.ParseFloat(ys, 64)
		if !ok || err1 != nil || err2 != nil || math.IsNaN(x+y) || math.IsInf(x+y, 0) {
			tb.Fatalf("bad polyline point %q", pair)
		}
		out = append(out, [2]float64{x, y})
	}
	return out
}

// series returns the one polyline of a line chart.
func series(tb testing.TB, s svg) [][2]float64 {
	tb.Helper()
	lines := s.root.all("polyline")
	if len(lines) != 1 {
		tb.Fatalf("got %d polylines, want 1", len(lines))
	}
	return points(tb, lines[0])
}

// axis is the value scale of a line chart read back from its tick labels:
// each tick's label and the y of its grid line.
type axis struct {
	values, ys []float64
}

// readAxis reads the tick labels (the right-aligned texts) of a line chart.
// The baseline of a tick label is 4 units below its grid line.
func readAxis(tb testing.TB, s svg) axis {
	tb.Helper()
	var a axis
	for _, t := range s.root.all("text") {
		if anchor, _ := t.attr("text-anchor"); anchor != "end" {
			continue
		}
		if f, _ := t.attr("font-size"); f != "12" {
			continue // band labels are right-aligned too
		}
		v, err := strconv.ParseFloat(t.Text, 64)
		if err != nil {
			tb.Fatalf("tick label %q is not a number", t.Text)
		}
		a.values = append(a.values, v)
		a.ys = append(a.ys, t.num(tb, "y")-4)
	}
	if len(a.values) < 3 {
		tb.Fatalf("got %d ticks, want at least 3", len(a.values))
	}
	for i := 1; i < len(a.values); i++ {
		if a.values[i] <= a.values[i-1] || a.ys[i] >= a.ys[i-1] {
			tb.Fatalf("ticks %v at y %v: want rising values at falling y", a.values, a.ys)
		}
	}
	return a
}

// y returns where the axis puts v, by linear interpolation between its
// first and last ticks.
func (a axis) y(v float64) float64 {
	n := len(a.values) - 1
	return a.ys[0] + (v-a.values[0])/(a.values[n]-a.values[0])*(a.ys[n]-a.ys[0])
}

// checkSeries checks that the drawn series is the values: x strictly
// increasing; a higher value at a smaller y, equal values at equal y; each
// y where the axis labels say that value is; and the values inside the
// axis range.
func checkSeries(t *testing.T, s svg, values []float64) {
	t.Helper()
	pts := series(t, s)
	if len(pts) != len(values) {
		t.Fatalf("got %d points, want %d", len(pts), len(values))
	}
	a := readAxis(t, s)
	for i := range pts {
		if i > 0 && pts[i][0] <= pts[i-1][0] {
			t.Errorf("point %d at x %g is not right of point %d at x %g", i, pts[i][0], i-1, pts[i-1][0])
		}
		for j := range pts {
			vi, vj, yi, yj := values[i], values[j], pts[i][1], pts[j][1]
			// Coordinates are rounded to 0.1, so values closer than that
			// may share a y, but never swap.
			distinct := math.Abs(a.y(vi)-a.y(vj)) > 0.1
			if (vi > vj && yi > yj) || (vi > vj && distinct && yi == yj) || (vi == vj && yi != yj) {
				t.Errorf("value %g at y %g and value %g at y %g: a higher value must be drawn higher", vi, yi, vj, yj)
			}
		}
		if v := values[i]; v <= a.values[0] || v >= a.values[len(a.values)-1] {
			t.Errorf("value %g is not inside the axis %g..%g: leave room above and below the data", v, a.values[0], a.values[len(a.values)-1])
		}
		span := math.Abs(a.ys[0] - a.ys[len(a.ys)-1])
		if want := a.y(values[i]); math.Abs(pts[i][1]-want) > 0.002*span+0.1 {
			t.Errorf("value %g at y %g, but the axis labels put it at y %g", values[i], pts[i][1], want)
		}
	}
	// The dots sit on the line.
	circles := s.root.all("circle")
	if len(values) <= 40 && len(circles) != len(values) {
		t.Errorf("got %d dots, want %d", len(circles), len(values))
	}
	for i, c := range circles {
		if i < len(pts) && (c.num(t, "cx") != pts[i][0] || c.num(t, "cy") != pts[i][1]) {
			t.Errorf("dot %d at (%g, %g), line point at %v", i, c.num(t, "cx"), c.num(t, "cy"), pts[i])
		}
	}
}

// linePoints makes points labelled by month from values.
func linePoints(values ...float64) []chart.Point {
	ps := make([]chart.Point, len(values))
	for i, v := range values {
		ps[i] = chart.Point{Label: fmt.Sprintf("2026-%02d", i%12+1), Value: v}
	}
	return ps
}

func TestLineGeometry(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
	}{
		{"rising", []float64{980, 1010, 995, 1040, 1020, 1060}},
		{"negative and positive", []float64{3, -5, 10, 0, -120, 7, 7}},
		{"all negative", []float64{-50, -20, -35, -20.5}},
		{"fractions", []float64{0.1, 0.25, 0.2, 0.3}},
		{"large", []float64{1e12, 3e12, 2e12, 2.5e12}},
		{"very large", []float64{1e18, -4e17, 9.2e18}},
		{"two points", []float64{600, 400}},
		{"many points", func() []float64 {
			vs := make([]float64, 100)
			for i := range vs {
				vs[i] = math.Sin(float64(i)/7) * 300
			}
			return vs
		}()},
		{"tiny change on a large value", []float64{1e17, 1e17 + 16, 1e17}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(chart.Line(chart.LineChart{Title: tt.name, Points: linePoints(tt.values...)}))
			checkSeries(t, parse(t, out), tt.values)
		})
	}
}

// TestLineZeroLine shows that a range holding both signs gets a line at
// zero, where the axis puts 0.
func TestLineZeroLine(t *testing.T) {
	s := parse(t, string(chart.Line(chart.LineChart{Points: linePoints(-30, 10, -5)})))
	a := readAxis(t, s)
	found := false
	for _, l := range s.root.all("line") {
		if must(l.attr("stroke-width")) == "0.75" {
			found = true
			if y := l.num(t, "y1"); math.Abs(y-a.y(0)) > 0.1 {
				t.Errorf("zero line at y %g, want %g", y, a.y(0))
			}
		}
	}
	if !found {
		t.Error("no zero line")
	}
	if ticks := strings.Join(s.root.texts(), " "); !strings.Contains(ticks, "-10") {
		t.Errorf("want negative tick labels, got %q", ticks)
	}
}

// TestLineFlat shows that a flat series gets a real range around it and is
// drawn inside the frame, not on its edge.
func TestLineFlat(t *testing.T) {
	for _, v := range []float64{0, 100, -40, 1e12} {
		t.Run(strconv.FormatFloat(v, 'g', -1, 64), func(t *testing.T) {
			values := []float64{v, v, v}
			s := parse(t, string(chart.Line(chart.LineChart{Points: linePoints(values...)})))
			checkSeries(t, s, values)
			a := readAxis(t, s)
			y := series(t, s)[0][1]
			top, bottom := a.ys[len(a.ys)-1], a.ys[0]
			if y <= top+(bottom-top)*0.2 || y >= bottom-(bottom-top)*0.2 {
				t.Errorf("flat series at y %g, want it well inside %g..%g", y, top, bottom)
			}
		})
	}
}

func TestLineEmpty(t *testing.T) {
	for _, points := range [][]chart.Point{nil, {{Label: "x", Value: math.NaN()}}} {
		out := string(chart.Line(chart.LineChart{Title: "Score", Desc: "暂无数据 <none> yet", YLabel: "分", Points: points,
			Bands: []chart.Band{{From: 100, Label: "A"}}}))
		s := parse(t, out)
		if n := len(s.root.all("polyline")) + len(s.root.all("circle")); n != 0 {
			t.Errorf("an empty chart has %d polylines and dots", n)
		}
		if got := s.root.Nodes[1].Text; got != "暂无数据 <none> yet" {
			t.Errorf("desc %q", got)
		}
		if texts := s.root.texts(); !slices.Contains(texts, "暂无数据 <none> yet") {
			t.Errorf("the message is not shown; texts %q", texts)
		}
		if len(s.root.all("line")) < 2 {
			t.Error("no frame")
		}
	}
}

func TestLineSingle(t *testing.T) {
	s := parse(t, string(chart.Line(chart.LineChart{Points: []chart.Point{{Label: "2026-03", Value: 500}}})))
	if n := len(s.root.all("polyline")); n != 0 {
		t.Errorf("got %d polylines for one point", n)
	}
	dots := s.root.all("circle")
	if len(dots) != 1 {
		t.Fatalf("got %d dots, want 1", len(dots))
	}
	a := readAxis(t, s)
	if cy := dots[0].num(t, "cy"); math.Abs(cy-a.y(500)) > 0.2 {
		t.Errorf("dot at y %g, axis puts 500 at %g", cy, a.y(500))
	}
	if cx := dots[0].num(t, "cx"); math.Abs(cx-s.width/2) > s.width*0.1 {
		t.Errorf("a single point at x %g, want it near the middle of %g", cx, s.width)
	}
	if !slices.Contains(s.root.texts(), "2026-03") {
		t.Errorf("label missing: %q", s.root.texts())
	}
}

// TestLineGaps shows that NaN and infinite values break the line and are
// left out of the range.
func TestLineGaps(t *testing.T) {
	s := parse(t, string(chart.Line(chart.LineChart{Points: linePoints(1, 2, math.NaN(), 3, 4, math.Inf(1), 5)})))
	lines := s.root.all("polyline")
	if len(lines) != 2 || len(points(t, lines[0])) != 2 || len(points(t, lines[1])) != 2 {
		t.Errorf("got %d polylines, want 2 of 2 points", len(lines))
	}
	if dots := s.root.all("circle"); len(dots) != 5 {
		t.Errorf("got %d dots, want 5", len(dots))
	}
	if a := readAxis(t, s); a.values[len(a.values)-1] > 10 {
		t.Errorf("axis %v: infinite values must not stretch it", a.values)
	}
}

// TestLineExtreme shows that values at the limits of float64 still give
// well-formed, finite geometry inside the viewBox.
func TestLineExtreme(t *testing.T) {
	for _, values := range [][]float64{
		{math.MaxFloat64, -math.MaxFloat64, 0},
		{math.MaxFloat64, math.MaxFloat64},
		{math.SmallestNonzeroFloat64, 0},
		{1e300, -1e300},
	} {
		out := string(chart.Line(chart.LineChart{Points: linePoints(values...), Bands: []chart.Band{{From: math.MaxFloat64}}}))
		s := parse(t, out)
		pts := series(t, s)
		if values[0] > values[1] && pts[0][1] > pts[1][1] {
			t.Errorf("%v: y %v, want the first higher", values, pts)
		}
		if values[0] == values[1] && pts[0][1] != pts[1][1] {
			t.Errorf("%v: y %v, want them level", values, pts)
		}
	}
}

// TestLineBands shows that bands widen the range to include them and are
// drawn where the axis puts their value, with their label.
func TestLineBands(t *testing.T) {
	s := parse(t, string(chart.Line(chart.LineChart{
		Points: linePoints(500, 520, 510),
		Bands:  []chart.Band{{From: 1000, Label: "A 1000"}, {From: 300}},
	})))
	a := readAxis(t, s)
	if a.values[0] > 300 || a.values[len(a.values)-1] < 1000 {
		t.Errorf("axis %v does not cover the bands", a.values)
	}
	var bandYs []float64
	for _, l := range s.root.all("line") {
		if _, dashed := l.attr("stroke-dasharray"); dashed {
			bandYs = append(bandYs, l.num(t, "y1"))
		}
	}
	if len(bandYs) != 2 || math.Abs(bandYs[0]-a.y(1000)) > 0.2 || math.Abs(bandYs[1]-a.y(300)) > 0.2 {
		t.Errorf("band lines at %v, want at %g and %g", bandYs, a.y(1000), a.y(300))
	}
	texts := s.root.texts()
	if !slices.Contains(texts, "A 1000") || !slices.Contains(texts, "300") {
		t.Errorf("band labels missing: %q", texts)
	}
}

// TestLineXLabels shows that at most six x labels are drawn, evenly
// spaced, always including the latest, and all of them when few.
func TestLineXLabels(t *testing.T) {
	tests := []struct{ n, want int }{{1, 1}, {3, 3}, {6, 6}, {7, 4}, {100, 5}}
	for _, tt := range tests {
		ps := make([]chart.Point, tt.n)
		for i := range ps {
			ps[i] = chart.Point{Label: "L" + strconv.Itoa(i), Value: float64(i % 5)}
		}
		s := parse(t, string(chart.Line(chart.LineChart{Points: ps})))
		var xs []float64
		var labels []string
		for _, txt := range s.root.all("text") {
			if strings.HasPrefix(txt.Text, "L") {
				labels = append(labels, txt.Text)
				xs = append(xs, txt.num(t, "x"))
			}
		}
		if len(labels) != tt.want || labels[len(labels)-1] != "L"+strconv.Itoa(tt.n-1) {
			t.Errorf("%d points: labels %q, want %d ending with the latest", tt.n, labels, tt.want)
		}
		for i := 2; i < len(xs); i++ {
			if d1, d2 := xs[i-1]-xs[i-2], xs[i]-xs[i-1]; math.Abs(d1-d2) > 0.2 {
				t.Errorf("%d points: labels at %v are not evenly spaced", tt.n, xs)
			}
		}
	}
	// Long labels get fewer places, so that they do not overlap.
	ps := make([]chart.Point, 12)
	for i := range ps {
		ps[i] = chart.Point{Label: fmt.Sprintf("2026年%d月第一周", i+1), Value: float64(i)}
	}
	s := parse(t, string(chart.Line(chart.LineChart{Points: ps})))
	var xs []float64
	for _, txt := range s.root.all("text") {
		if strings.Contains(txt.Text, "年") {
			xs = append(xs, txt.num(t, "x"))
		}
	}
	// The widest label, "2026年12月第一周", is 5 CJK characters and 6 digits
	// wide: at font size 12 about 5*12 + 6*0.55*12.
	if len(xs) < 2 {
		t.Fatalf("long labels at %v: want at least 2", xs)
	}
	for i := 1; i < len(xs); i++ {
		if xs[i]-xs[i-1] < 5*12+6*0.55*12 {
			t.Errorf("long labels at %v overlap", xs)
		}
	}
}

func TestBarsGeometry(t *testing.T) {
	c := chart.BarChart{
		Title: "Records by category",
		Unit:  " 条",
		Bars: []chart.Bar{
			{Label: "志愿服务 Volunteering", Value: 10},
			{Label: "Donations", Value: 20},
			{Label: "Environment", Value: 5},
			{Label: "Family", Value: 0},
		},
	}
	s := parse(t, string(chart.Bars(c)))
	rects := barRects(s)
	if len(rects) != 4 {
		t.Fatalf("got %d bars, want 4", len(rects))
	}
	zero := rects[0].num(t, "x")
	for i, r := range rects {
		if x := r.num(t, "x"); x != zero {
			t.Errorf("bar %d starts at %g, bar 0 at %g", i, x, zero)
		}
		if i > 0 && r.num(t, "y") <= rects[i-1].num(t, "y") {
			t.Errorf("bar %d is not below bar %d", i, i-1)
		}
	}
	w := func(i int) float64 { return rects[i].num(t, "width") }
	if math.Abs(w(1)-2*w(0)) > 0.2 || math.Abs(w(2)-w(0)/2) > 0.2 || w(3) != 0 {
		t.Errorf("widths %g %g %g %g are not proportional to 10 20 5 0", w(0), w(1), w(2), w(3))
	}
	if w(1) < s.width/2 {
		t.Errorf("the longest bar is %g of %g wide; want it to use the width", w(1), s.width)
	}
	texts := s.root.texts()
	for _, want := range []string{"志愿服务 Volunteering", "10 条", "20 条", "5 条", "0 条"} {
		if !slices.Contains(texts, want) {
			t.Errorf("text %q missing from %q", want, texts)
		}
	}
	// Each value is drawn just right of its bar's end.
	for _, txt := range s.root.all("text") {
		if strings.HasSuffix(txt.Text, " 条") {
			v, _ := strconv.ParseFloat(strings.TrimSuffix(txt.Text, " 条"), 64)
			end := zero + w(0)*v/10
			if x := txt.num(t, "x"); x < end || x > end+12 {
				t.Errorf("value %q at x %g, bar ends at %g", txt.Text, x, end)
			}
		}
	}
}

// barRects returns the solid bars (not the background or withheld ones).
func barRects(s svg) []node {
	var out []node
	for _, r := range s.root.all("rect") {
		if f, _ := r.attr("fill"); f == "#1f4e8c" {
			out = append(out, r)
		}
	}
	return out
}

func TestBarsNegative(t *testing.T) {
	s := parse(t, string(chart.Bars(chart.BarChart{Bars: []chart.Bar{{Label: "up", Value: 30}, {Label: "down", Value: -10}}})))
	rects := barRects(s)
	if len(rects) != 2 {
		t.Fatalf("got %d bars", len(rects))
	}
	upX, upW := rects[0].num(t, "x"), rects[0].num(t, "width")
	downX, downW := rects[1].num(t, "x"), rects[1].num(t, "width")
	if math.Abs(downX+downW-upX) > 0.1 {
		t.Errorf("the negative bar ends at %g, want it to end at the zero line %g", downX+downW, upX)
	}
	if math.Abs(upW-3*downW) > 0.2 {
		t.Errorf("widths %g and %g are not 3:1", upW, downW)
	}
}

// TestBarsWithheld shows that a withheld bar is an empty outline with the
// caller's text, and that its value leaves no trace in the output.
func TestBarsWithheld(t *testing.T) {
	draw := func(v float64) string {
		return string(chart.Bars(chart.BarChart{
			Title: "Grades", WithheldText: "<5",
			Bars: []chart.Bar{{Label: "A", Value: 40}, {Label: "D", Value: v, Withheld: true}, {Label: "B", Value: 10}},
		}))
	}
	out := draw(3)
	s := parse(t, out)
	if len(barRects(s)) != 2 {
		t.Errorf("got %d solid bars, want 2", len(barRects(s)))
	}
	var outlines []node
	for _, r := range s.root.all("rect") {
		if _, ok := r.attr("stroke-dasharray"); ok {
			outlines = append(outlines, r)
		}
	}
	if len(outlines) != 1 || must(outlines[0].attr("fill")) != "#fff" || must(outlines[0].attr("stroke")) == "" {
		t.Fatalf("want one empty outlined bar, got %v", outlines)
	}
	if !slices.Contains(s.root.texts(), "<5") || !strings.Contains(out, "&lt;5") {
		t.Errorf("withheld text missing or unescaped: %q", s.root.texts())
	}
	for _, v := range []float64{0, 4, 1e9, math.NaN()} {
		if got := draw(v); got != out {
			t.Errorf("withheld value %g changes the output", v)
		}
	}
	// The default text.
	s = parse(t, string(chart.Bars(chart.BarChart{Bars: []chart.Bar{{Label: "x", Withheld: true}}})))
	if !slices.Contains(s.root.texts(), "—") {
		t.Errorf("default withheld text missing: %q", s.root.texts())
	}
}

func TestBarsEmpty(t *testing.T) {
	s := parse(t, string(chart.Bars(chart.BarChart{Title: "Grades", Desc: "No records yet & none due"})))
	if len(barRects(s)) != 0 {
		t.Error("an empty chart has bars")
	}
	if !slices.Contains(s.root.texts(), "No records yet & none due") {
		t.Errorf("message missing: %q", s.root.texts())
	}
}

func TestBarsLarge(t *testing.T) {
	s := parse(t, string(chart.Bars(chart.BarChart{Bars: []chart.Bar{
		{Label: "a", Value: 1e15}, {Label: "b", Value: 5e14}, {Label: "c", Value: 1},
		{Label: "d", Value: math.MaxFloat64}, {Label: "e", Value: math.Inf(1)},
	}})))
	rects := barRects(s)
	if len(rects) != 4 {
		t.Fatalf("got %d bars, want 4 (none for +Inf)", len(rects))
	}
	if w := rects[3].num(t, "width"); w < s.width/2 {
		t.Errorf("the MaxFloat64 bar is %g wide", w)
	}
}

// inputs returns a representative line chart and bar chart, with hostile
// text in every field a caller sets.
func inputs(text string) (chart.LineChart, chart.BarChart) {
	l := chart.LineChart{
		Title: text, Desc: text, YLabel: text,
		Points: []chart.Point{{Label: text, Value: 1}, {Label: text, Value: -2}, {Label: "2026-03", Value: 3}},
		Bands:  []chart.Band{{From: 2, Label: text}},
	}
	b := chart.BarChart{
		Title: text, Desc: text, Unit: text, WithheldText: text,
		Bars: []chart.Bar{{Label: text, Value: 3}, {Label: text, Withheld: true}},
	}
	return l, b
}

// TestEscaping shows that markup in any text is escaped, and that text
// XML cannot hold (NUL, invalid UTF-8) still gives well-formed output.
func TestEscaping(t *testing.T) {
	for _, text := range []string{
		`<script>alert("x&y")</script>`,
		`信用 "A" & 'B' <b>`,
		"]]><!-- --><![CDATA[",
		"nul\x00 and \xff\xfe bad bytes\x1b",
	} {
		l, b := inputs(text)
		for kind, out := range map[string]string{"line": string(chart.Line(l)), "bars": string(chart.Bars(b))} {
			t.Run(kind, func(t *testing.T) {
				s := parse(t, out)
				if strings.Contains(out, "<script") || strings.Contains(out, "<b>") || strings.Contains(out, "<!--") {
					t.Errorf("markup passed through:\n%s", out)
				}
				if strings.ContainsAny(text, "\x00\xff") {
					return // replaced, so not read back
				}
				if got := s.root.Nodes[0].Text; got != text {
					t.Errorf("title %q, want %q", got, text)
				}
				if got := s.root.Nodes[1].Text; got != text {
					t.Errorf("desc %q, want %q", got, text)
				}
				if !slices.Contains(s.root.texts(), text) {
					t.Errorf("no text reads back %q: %q", text, s.root.texts())
				}
			})
		}
	}
}

// TestDeterministic shows that equal input gives byte-identical output and
// different input different output.
func TestDeterministic(t *testing.T) {
	render := func(text string) (string, string) {
		l, b := inputs(text)
		return string(chart.Line(l)), string(chart.Bars(b))
	}
	l1, b1 := render("评分 Score")
	for range 20 {
		l2, b2 := render("评分 Score")
		if l1 != l2 || b1 != b2 {
			t.Fatal("the same input gave different output")
		}
	}
	l3, b3 := render("评分 Score!")
	if l1 == l3 || b1 == b3 {
		t.Error("different input gave the same output")
	}
}

// TestIDs shows that a given ID is used, made safe, and that charts with
// different content get different ids without one.
func TestIDs(t *testing.T) {
	s := parse(t, string(chart.Line(chart.LineChart{ID: "score 7<x>", Points: linePoints(1, 2)})))
	if got := must(s.root.attr("aria-labelledby")); got != "chart-score_7_x_-title chart-score_7_x_-desc" {
		t.Errorf("aria-labelledby=%q", got)
	}
	a := parse(t, string(chart.Bars(chart.BarChart{Title: "A", Bars: []chart.Bar{{Label: "x", Value: 1}}})))
	b := parse(t, string(chart.Bars(chart.BarChart{Title: "B", Bars: []chart.Bar{{Label: "x", Value: 1}}})))
	if must(a.root.attr("aria-labelledby")) == must(b.root.attr("aria-labelledby")) {
		t.Error("two different charts share ids")
	}
}

// TestTemplate shows that html/template inserts a chart unchanged, as the
// pages use it.
func TestTemplate(t *testing.T) {
	page := template.Must(template.New("page").Parse(`<figure>{{.}}</figure>`))
	c := chart.Line(chart.LineChart{Title: "<Score> & more", Points: linePoints(1, 2, 3)})
	var b strings.Builder
	if err := page.Execute(&b, c); err != nil {
		t.Fatal(err)
	}
	if want := "<figure>" + string(c) + "</figure>"; b.String() != want {
		t.Errorf("the template changed the chart:\n%s", b.String())
	}
}
