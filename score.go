package tally

import "time"

// Score is a subject's standing in a scheme at one instant, with the
// reasons for it. A subject that may not be scored (no consent, a minor)
// has Scored false and Unscored saying why; Score and Grade are then empty.
type Score struct {
	Scheme   string    `json:"scheme"`
	Subject  string    `json:"subject"` // masked identifier
	Name     string    `json:"name"`
	AsOf     time.Time `json:"as_of"`
	Scored   bool      `json:"scored"`
	Unscored string    `json:"unscored,omitempty"`
	Base     int64     `json:"base"`
	Score    *int64    `json:"score"`
	Grade    *string   `json:"grade"`
	Marks    *Marks    `json:"marks,omitempty"`
	// Factors are the rules that move the score most, largest first, at
	// most MaxFactors, as a credit bureau names its key factors.
	Factors    []Factor `json:"factors"`
	NextExpiry *Expiry  `json:"next_expiry,omitempty"`
}

// MaxFactors is how many key factors a score names.
const MaxFactors = 4

// Factor is the total effect of one rule's records on a score.
type Factor struct {
	Rule     string `json:"rule"`
	Title    Text   `json:"title"`
	Category string `json:"category"`
	Points   int64  `json:"points"`
	Records  int    `json:"records"`
}

// Expiry says what happens to a score when its next records stop counting.
type Expiry struct {
	At         time.Time `json:"at"`
	Points     int64     `json:"points"`      // the change in score
	Records    int       `json:"records"`     // how many records expire then
	ScoreAfter int64     `json:"score_after"` // the score from then on, all else equal
}
