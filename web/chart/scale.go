package chart

import (
	"math"
	"strconv"
)

// scale is a range of values with round tick marks: lo and hi are
// multiples of step, and lo < hi.
type scale struct {
	lo, hi, step float64
}

// niceScale returns a scale with about five ticks that covers [min, max]
// with a little room above and below, so that no point sits on the frame.
// A single value (a flat series) gets a range around it.
func niceScale(min, max float64) scale {
	if max < min {
		min, max = max, min
	}
	if max-min <= math.Max(math.Abs(min), math.Abs(max))*1e-9 {
		// Flat, or a difference float64 cannot divide into ticks.
		pad := math.Max(math.Abs(min)*0.1, 5)
		min, max = min-pad, max+pad
	} else {
		pad := (max - min) * 0.05
		min, max = min-pad, max+pad
	}
	step := niceNumber(niceNumber(max-min, false)/4, true)
	lo := math.Floor(min/step) * step
	hi := math.Ceil(max/step) * step
	if hi <= lo { // only at the edge of float64 precision
		hi = lo + step
	}
	return scale{lo: lo, hi: hi, step: step}
}

// niceNumber returns a number of the form 1, 2 or 5 (or 10) times a power
// of ten near x: the nearest when round, otherwise the smallest not below x
// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990).
func niceNumber(x float64, round bool) float64 {
	exp := math.Floor(math.Log10(x))
	pow := math.Pow(10, exp)
	f := x / pow
	var nice float64
	if round {
		switch {
		case f < 1.5:
			nice = 1
		case f < 3:
			nice = 2
		case f < 7:
			nice = 5
		default:
			nice = 10
		}
	} else {
		switch {
		case f <= 1:
			nice = 1
		case f <= 2:
			nice = 2
		case f <= 5:
			nice = 5
		default:
			nice = 10
		}
	}
	return nice * pow
}

// ticks returns the tick values from lo to hi. Each is computed from its
// index, not by adding steps, so that rounding errors do not build up.
func (s scale) ticks() []float64 {
	n := int(math.Round((s.hi-s.lo)/s.step)) + 1
	if n < 2 || n > 50 {
		return []float64{s.lo, s.hi}
	}
	ts := make([]float64, n)
	for i := range ts {
		ts[i] = s.lo + float64(i)*s.step
	}
	ts[n-1] = s.hi
	return ts
}

// tickLabel formats a tick with just the decimals the step needs, and in
// scientific notation when the numbers are too large to read in full.
func (s scale) tickLabel(v float64) string {
	if math.Abs(v) < s.step/2 {
		return "0"
	}
	stepExp := int(math.Floor(math.Log10(s.step) + 1e-9))
	big := math.Max(math.Abs(s.lo), math.Abs(s.hi))
	if big >= 1e9 {
		digits := int(math.Floor(math.Log10(big))) - stepExp + 1
		digits = min(max(digits, 1), 17)
		return strconv.FormatFloat(v, 'g', digits, 64)
	}
	decimals := max(0, -stepExp)
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// y maps a value to a vertical coordinate between bottom (at lo) and top
// (at hi): higher values are drawn higher, so at a smaller y.
func (s scale) y(v, top, bottom float64) float64 {
	return bottom - (v-s.lo)/(s.hi-s.lo)*(bottom-top)
}
