package chart

import (
	"html/template"
	"math"
	"strconv"
)

// LineChart is a value over time, such as a subject's score month by
// month.
type LineChart struct {
	// Title names the chart for screen readers (its <title>); the page
	// shows its own heading.
	Title string
	// Desc summarises the chart for screen readers (its <desc>). With no
	// points it is also shown inside the empty frame, so it should then be
	// the page's "no data" message.
	Desc string
	// Points are drawn left to right, evenly spaced, in order. A point
	// whose Value is NaN or infinite leaves a gap in the line.
	Points []Point
	// YLabel names the values, such as "Score"; it is drawn above the
	// vertical axis. Optional.
	YLabel string
	// Bands are optional horizontal reference lines, such as grade
	// thresholds, drawn faintly with their labels.
	Bands []Band
	// ID, optional, makes the ids of the chart's title and description
	// unique on a page that shows several charts. When empty, they are
	// derived from the chart's content.
	ID string
}

// Point is one value of a line chart. Label names its place on the x axis,
// such as "2026-03"; at most six labels are shown, evenly spread, so that
// they stay legible on a phone.
type Point struct {
	Label string
	Value float64
}

// Band is a horizontal reference line at From, such as the lowest score of
// a grade. Label is drawn at its right end, such as "A 1000"; when empty,
// From is shown.
type Band struct {
	From  float64
	Label string
}

// The geometry of a line chart, in viewBox units. 400 units wide keeps
// 13-unit text at about 12 pixels on a 360-pixel phone screen.
const (
	lineWidth   = 400
	lineHeight  = 240
	lineRight   = lineWidth - 10
	lineBottom  = lineHeight - 28
	linePadX    = 10 // between the frame and the first and last points
	tickFont    = 12
	bandFont    = 11
	maxXLabels  = 6
	maxMarkers  = 40 // draw a dot at each point up to this many points
	markerSize  = 3.5
	seriesWidth = 2.5
)

// Line draws a line chart as an SVG element.
//
// The vertical range is rounded to nice numbers and covers every point and
// band, with some room; it may include negative values. A flat series is
// drawn across the middle of a range around its value. With no points
// (or none with a finite value) Line draws an empty frame with Desc inside.
func Line(c LineChart) template.HTML {
	id := chartID(c.ID, func(h func(string)) {
		h("line")
		h(c.Title)
		h(c.Desc)
		h(c.YLabel)
		for _, p := range c.Points {
			h(p.Label)
			h(strconv.FormatFloat(p.Value, 'g', -1, 64))
		}
		for _, b := range c.Bands {
			h(b.Label)
			h(strconv.FormatFloat(b.From, 'g', -1, 64))
		}
	})
	var cv canvas
	cv.open(id, lineWidth, lineHeight, c.Title, c.Desc)

	top := 12.0
	if c.YLabel != "" {
		top = 30
		cv.label(4, 16, "start", fit(c.YLabel, 13, lineWidth-8), "")
	}

	// The range covers every finite point and band.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range c.Points {
		if finite(p.Value) {
			v := limit(p.Value)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo > hi {
		// No data: the frame and the message.
		left := 40.0
		cv.line(left, top, left, lineBottom, colourAxis, "")
		cv.line(left, lineBottom, lineRight, lineBottom, colourAxis, "")
		cv.label((left+lineRight)/2, (top+lineBottom)/2, "middle", fit(c.Desc, 13, lineRight-left-8), "")
		return template.HTML(cv.close())
	}
	for _, b := range c.Bands {
		if finite(b.From) {
			v := limit(b.From)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	s := niceScale(lo, hi)
	ticks := s.ticks()

	// The frame's left edge leaves room for the widest tick label.
	labelWidth := 0.0
	for _, t := range ticks {
		labelWidth = math.Max(labelWidth, textWidth(s.tickLabel(t), tickFont))
	}
	left := math.Min(math.Max(labelWidth+12, 30), lineWidth*0.4)
	y := func(v float64) float64 { return s.y(limit(v), top, lineBottom) }

	// Grid lines and tick labels.
	for _, t := range ticks {
		ty := y(t)
		cv.line(left, ty, lineRight, ty, colourGrid, "")
		cv.label(left-6, ty+4, "end", s.tickLabel(t), `font-size="12"`)
	}
	// A zero line when the range holds both signs.
	if s.lo < 0 && s.hi > 0 {
		cv.line(left, y(0), lineRight, y(0), colourAxis, `stroke-width="0.75"`)
	}
	// Reference bands, faint, under the series.
	for _, b := range c.Bands {
		if finite(b.From) {
			cv.line(left, y(b.From), lineRight, y(b.From), colourBand, `stroke-dasharray="4 3"`)
		}
	}
	// The axes.
	cv.line(left, top, left, lineBottom, colourAxis, "")
	cv.line(left, lineBottom, lineRight, lineBottom, colourAxis, "")

	// The points' x coordinates: evenly spaced, or centred when alone.
	n := len(c.Points)
	x := func(i int) float64 {
		if n == 1 {
			return (left + lineRight) / 2
		}
		return left + linePadX + float64(i)*(lineRight-left-2*linePadX)/float64(n-1)
	}

	// The series, as one polyline per run of finite values.
	for i := 0; i < n; {
		if !finite(c.Points[i].Value) {
			i++
			continue
		}
		j := i
		for j < n && finite(c.Points[j].Value) {
			j++
		}
		if j-i > 1 {
			cv.raw(`<polyline fill="none" stroke="` + colourSeries + `" stroke-width="` + coord(seriesWidth) + `" stroke-linejoin="round" stroke-linecap="round" points="`)
			for k := i; k < j; k++ {
				if k > i {
					cv.raw(" ")
				}
				cv.num(x(k))
				cv.raw(",")
				cv.num(y(c.Points[k].Value))
			}
			cv.raw(`"/>`)
		}
		i = j
	}
	// Dots, each with a tooltip of its label and value. A long series gets
	// them only where a value stands alone between gaps, which no line
	// would show.
	for i, p := range c.Points {
		lonely := (i == 0 || !finite(c.Points[i-1].Value)) && (i == n-1 || !finite(c.Points[i+1].Value))
		if !finite(p.Value) || (n > maxMarkers && !lonely) {
			continue
		}
		cv.raw(`<circle cx="`)
		cv.num(x(i))
		cv.raw(`" cy="`)
		cv.num(y(p.Value))
		cv.raw(`" r="` + coord(markerSize) + `" fill="` + colourSeries + `"><title>`)
		if p.Label != "" {
			cv.text(p.Label)
			cv.raw(": ")
		}
		cv.text(formatValue(p.Value))
		cv.raw("</title></circle>")
	}

	// The bands' labels, at the right, over the series: a white halo keeps
	// each readable where the series crosses it.
	for _, b := range c.Bands {
		if !finite(b.From) {
			continue
		}
		text := b.Label
		if text == "" {
			text = formatValue(b.From)
		}
		cv.label(lineRight-2, y(b.From)-4, "end", fit(text, bandFont, (lineRight-left)/2),
			`font-size="11" fill="`+colourMuted+`" stroke="#fff" stroke-width="3" paint-order="stroke"`)
	}

	// At most six x labels, evenly stepped back from the latest point, and
	// far enough apart that the widest label fits between two.
	widest := 0.0
	for _, p := range c.Points {
		widest = math.Max(widest, textWidth(p.Label, tickFont))
	}
	step := 1
	if n > 1 {
		gap := x(1) - x(0)
		// A label at either end is pushed inwards to stay inside the
		// chart; leave room for that too.
		half := widest / 2
		shift := math.Max(math.Max(0, 2+half-x(0)), math.Max(0, x(n-1)+half-(lineWidth-2)))
		step = max(1, (n-1+maxXLabels-2)/(maxXLabels-1), int(math.Ceil((widest+12+shift)/gap)))
	}
	maxLabel := lineWidth - 4.0 // a label alone may use the whole width
	if step < n {
		maxLabel = (x(step) - x(0)) - 12
	}
	for i := (n - 1) % step; i < n; i += step {
		label := fit(c.Points[i].Label, tickFont, maxLabel)
		if label == "" {
			continue
		}
		px := x(i)
		cv.line(px, lineBottom, px, lineBottom+4, colourAxis, "")
		// Keep the label inside the chart.
		half := textWidth(label, tickFont) / 2
		cx := math.Min(math.Max(px, 2+half), lineWidth-2-half)
		cv.label(cx, lineBottom+18, "middle", label, `font-size="12"`)
	}
	return template.HTML(cv.close())
}
