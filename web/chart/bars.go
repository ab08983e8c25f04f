package chart

import (
	"html/template"
	"math"
	"strconv"
)

// BarChart compares values by label, such as subjects per grade or
// records per category. Bars are horizontal, each with its label above
// it, so that long Chinese or English labels fit on a phone.
type BarChart struct {
	// Title names the chart for screen readers (its <title>).
	Title string
	// Desc summarises the chart for screen readers (its <desc>). With no
	// bars it is also shown inside the empty frame.
	Desc string
	// Bars are drawn top to bottom in order.
	Bars []Bar
	// Unit is appended to each value exactly as given, such as "%" or
	// " 条" (include a leading space if one is wanted).
	Unit string
	// WithheldText is shown instead of the value of a withheld bar, such
	// as "<5". When empty, "—" is shown.
	WithheldText string
	// ID, optional, makes the ids of the chart's title and description
	// unique on a page; see LineChart.ID.
	ID string
}

// Bar is one labelled value. A Withheld bar's count is suppressed for
// privacy: it is drawn as an empty outline of fixed size with
// BarChart.WithheldText, and its Value is ignored entirely, so that
// nothing in the output (not the scale, not an id) depends on it.
type Bar struct {
	Label    string
	Value    float64
	Withheld bool
}

// The geometry of a bar chart, in viewBox units.
const (
	barsWidth    = 400
	barsPad      = 8
	barsTop      = 4
	barRow       = 48 // label, bar and gap
	barLabelBase = 14 // the label's baseline, from the top of the row
	barOffset    = 22 // the bar's top, from the top of the row
	barHeight    = 18
	withheldBox  = 28 // the width of a withheld bar's outline
)

// Bars draws a horizontal bar chart as an SVG element. Bar lengths are
// proportional to the values, from a common zero line; negative values
// extend to the left of it. A value that is NaN or infinite gets no bar.
// With no bars Bars draws an empty frame with Desc inside.
func Bars(c BarChart) template.HTML {
	withheld := c.WithheldText
	if withheld == "" {
		withheld = "—"
	}
	id := chartID(c.ID, func(h func(string)) {
		h("bars")
		h(c.Title)
		h(c.Desc)
		h(c.Unit)
		h(withheld)
		for _, b := range c.Bars {
			h(b.Label)
			if b.Withheld {
				h("withheld") // never the value
			} else {
				h(strconv.FormatFloat(b.Value, 'g', -1, 64))
			}
		}
	})
	var cv canvas
	n := len(c.Bars)
	if n == 0 {
		const height = 120
		cv.open(id, barsWidth, height, c.Title, c.Desc)
		cv.raw(`<rect x="` + coord(barsPad) + `" y="` + coord(barsTop) + `" width="` + coord(barsWidth-2*barsPad) +
			`" height="` + coord(height-2*barsTop) + `" fill="none" stroke="` + colourAxis + `"/>`)
		cv.label(barsWidth/2, height/2+4, "middle", fit(c.Desc, 13, barsWidth-4*barsPad), "")
		return template.HTML(cv.close())
	}
	height := float64(barsTop + n*barRow)
	cv.open(id, barsWidth, height, c.Title, c.Desc)

	// The range of the shown values, always including zero, and the room
	// their texts need at the bars' ends.
	lo, hi := 0.0, 0.0
	textRoom := 0.0
	for _, b := range c.Bars {
		if b.Withheld {
			textRoom = math.Max(textRoom, withheldBox+6+textWidth(withheld, 13))
			continue
		}
		textRoom = math.Max(textRoom, textWidth(formatValue(b.Value)+c.Unit, 13))
		if finite(b.Value) {
			v := limit(b.Value)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if lo == hi {
		hi = 1 // every value is zero: bars of no length
	}
	textRoom = math.Min(textRoom, barsWidth*0.35) + 6
	left, right := float64(barsPad), float64(barsWidth-barsPad)-textRoom
	if lo < 0 {
		left += textRoom
	}
	x := func(v float64) float64 { return left + (limit(v)-lo)/(hi-lo)*(right-left) }
	zero := x(0)

	for i, b := range c.Bars {
		row := float64(barsTop + i*barRow)
		cv.label(barsPad, row+barLabelBase, "start", fit(b.Label, 13, barsWidth-2*barsPad), "")
		barY := row + barOffset
		textY := barY + barHeight/2 + 4.5
		if b.Withheld {
			cv.raw(`<rect x="`)
			cv.num(zero + 0.5)
			cv.raw(`" y="`)
			cv.num(barY + 0.5)
			cv.raw(`" width="` + coord(withheldBox-1) + `" height="` + coord(barHeight-1) +
				`" fill="#fff" stroke="` + colourSeries + `" stroke-dasharray="3 2"><title>`)
			cv.text(b.Label + ": " + withheld)
			cv.raw(`</title></rect>`)
			cv.label(zero+withheldBox+6, textY, "start", withheld, "")
			continue
		}
		value := formatValue(b.Value) + c.Unit
		if !finite(b.Value) {
			cv.label(zero+6, textY, "start", value, "")
			continue
		}
		end := x(b.Value)
		cv.raw(`<rect x="`)
		cv.num(math.Min(zero, end))
		cv.raw(`" y="`)
		cv.num(barY)
		cv.raw(`" width="`)
		cv.num(math.Abs(end - zero))
		cv.raw(`" height="` + coord(barHeight) + `" fill="` + colourSeries + `"><title>`)
		cv.text(b.Label + ": " + value)
		cv.raw(`</title></rect>`)
		if b.Value < 0 {
			cv.label(end-6, textY, "end", value, "")
		} else {
			cv.label(end+6, textY, "start", value, "")
		}
	}
	// The zero line, over the bars' ends.
	cv.line(zero, barsTop+barOffset-4, zero, height-barRow+barOffset+barHeight+4, colourAxis, "")
	return template.HTML(cv.close())
}
