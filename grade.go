package tally

// Severity grades a deduction. It bounds how long the deduction may last
// (see MaxLasting) and whether it needs a second review.
type Severity string

// The severities of a deduction.
const (
	Minor   Severity = "minor"
	General Severity = "general"
	Serious Severity = "serious"
)

// Lasting returns the shortest and longest time a deduction of this
// severity may count, from the national limits on publication periods:
// minor at most 3 months, general 3 months to 1 year, serious 1 to 3 years.
func (s Severity) Lasting() (min, max Span, ok bool) {
	switch s {
	case Minor:
		return Span{}, Span{3, Month}, true
	case General:
		return Span{3, Month}, Span{1, Year}, true
	case Serious:
		return Span{1, Year}, Span{3, Year}, true
	}
	return Span{}, Span{}, false
}

// GradeBand is one grade of a scheme: a score of at least Min earns it.
// The last band of a scheme may have no minimum (HasMin false): it catches
// every lower score.
type GradeBand struct {
	Grade  string `json:"grade"`
	Min    int64  `json:"min"`
	HasMin bool   `json:"-"`
}

// GradeFor returns the grade of the first band, highest first, whose
// minimum the score reaches; "" when the bands are empty or none fits.
func GradeFor(bands []GradeBand, score int64) string {
	for _, b := range bands {
		if !b.HasMin || score >= b.Min {
			return b.Grade
		}
	}
	return ""
}

// Board says how a score is drawn on a village honour board: one star per
// Star points and one flag per Flag stars.
type Board struct {
	Star int64 `json:"star"`
	Flag int64 `json:"flag"`
}

// Marks is a score drawn as flags and the stars left over.
type Marks struct {
	Flags int64 `json:"flags"`
	Stars int64 `json:"stars"`
}

// Draw converts a score into flags and stars; a score below one star draws
// nothing, so a board never shows negative marks.
func (b Board) Draw(score int64) Marks {
	if b.Star <= 0 || score <= 0 {
		return Marks{}
	}
	stars := score / b.Star
	if b.Flag <= 0 {
		return Marks{Stars: stars}
	}
	return Marks{Flags: stars / b.Flag, Stars: stars % b.Flag}
}
