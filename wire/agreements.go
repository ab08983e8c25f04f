package wire

import (
	"time"

	"github.com/tallycredit/tally"
)

// Agreements is the data-sharing agreements in force (GET /agreements):
// what this instance sends and takes in, from whom and to whom, for what
// purpose and on what legal basis. It is public, as subjects are shown
// where their entries go and on what authority.
type Agreements struct {
	// Instance is this instance's name on the exchange; absent until it
	// is named (tally init --name).
	Instance   string      `json:"instance,omitempty"`
	Agreements []Agreement `json:"agreements"`
}

// Agreement is the version in force of one data-sharing agreement.
type Agreement struct {
	ID          string     `json:"id"`
	Version     int        `json:"version"`
	Issuer      string     `json:"issuer"`
	Receiver    string     `json:"receiver"`
	Lists       []string   `json:"lists"` // entries of these lists, with their removals
	Rules       []string   `json:"rules"` // records of these rules (scheme/rule), with their reversals
	Purpose     tally.Text `json:"purpose"`
	Basis       tally.Text `json:"basis"`
	PublishedAt time.Time  `json:"published_at"`
	PublishedBy string     `json:"published_by"`
	Digest      string     `json:"digest"`
}

// AgreementOf is a as the API shows it: what it shares named as lists and
// rules, each an empty list rather than absent.
func AgreementOf(a tally.Agreement) Agreement {
	return Agreement{ID: a.ID, Version: a.Version, Issuer: a.Issuer, Receiver: a.Receiver,
		Lists: nonNil(a.Lists), Rules: nonNil(a.Rules), Purpose: a.Purpose, Basis: a.Basis,
		PublishedAt: a.PublishedAt, PublishedBy: a.PublishedBy, Digest: a.Digest}
}

// nonNil is names, or an empty list for none.
func nonNil(names []string) []string {
	if names == nil {
		return []string{}
	}
	return names
}
