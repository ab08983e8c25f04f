package demo

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// The demo's exchange (docs/EXCHANGE.md): its instance is a court, which
// shares its list of judgment defaulters with an airline's verifier, a
// second tally with a database of its own.
const (
	Court   = "court"   // the demo instance's name
	Airline = "airline" // the verifier's
	// AirlineMeasure is what the airline checks: air travel.
	AirlineMeasure = "air-travel"
	// airlineAgreement is the agreement both publish, in examples.Agreements.
	airlineAgreement = "agreements/court-to-airline.yaml"
	defaultersList   = "judgment-defaulters"
)

// Story is the court-to-airline story the tour tells: the airline refuses
// the resident the court lists, and allows them once the court removes
// the entry.
type Story struct {
	Listed  Example `json:"listed"`
	List    string  `json:"list"`
	Case    string  `json:"case"`    // the entry's case number, to remove it by
	Measure string  `json:"measure"` // what the airline checks
}

// Query is the airline's check of the listed resident.
func (s Story) Query() checkindex.CheckQuery {
	return checkindex.CheckQuery{Identifier: s.Listed.Identifier, Name: s.Listed.Name, Measure: s.Measure}
}

// CheckBody is the JSON body of that check, as POST /api/v1/checks takes it.
func (s Story) CheckBody() string {
	b, _ := json.Marshal(struct {
		Subject string `json:"subject"`
		Name    string `json:"name"`
		Measure string `json:"measure"`
	}{s.Listed.Identifier, s.Listed.Name, s.Measure})
	return string(b)
}

// RemoveCommand is the tally command, without --db, that removes the
// court's entry (the case number has no spaces, so it needs no quotes).
func (s Story) RemoveCommand() string {
	return "lists remove --list " + s.List + " --case " + s.Case + " --reason performed"
}

// joinExchange names the demo instance the court and publishes its
// agreement with the airline, before anything is listed: a listing is
// shared only under an agreement in force when it is made.
func joinExchange(ctx context.Context, svc *ledger.Service) error {
	if err := svc.SetInstanceName(ctx, Court); err != nil {
		return err
	}
	return publishAirlineAgreement(ctx, svc)
}

func publishAirlineAgreement(ctx context.Context, svc *ledger.Service) error {
	src, err := examples.Agreements.ReadFile(airlineAgreement)
	if err != nil {
		return err
	}
	if _, err := svc.PublishAgreement(ctx, "examples/"+airlineAgreement, src); err != nil {
		return fmt.Errorf("demo agreement: %w", err)
	}
	return nil
}

// AirlineVerifier is the airline's database as BuildAirline leaves it.
type AirlineVerifier struct {
	Token string `json:"token"` // its verifier token, for air travel
}

// BuildAirline makes svc's empty database the airline's verifier: the
// default sanctions catalogue, its name, the agreement with the court and
// a verifier token; what it checks, the court's exchange brings.
func BuildAirline(ctx context.Context, svc *ledger.Service) (*AirlineVerifier, error) {
	ctx = ledger.WithActor(ctx, &tally.Actor{Name: "demo", Role: tally.Admin})
	if _, err := svc.PublishCatalogue(ctx, "sanctions.yml", examples.Sanctions); err != nil {
		return nil, err
	}
	if err := svc.SetInstanceName(ctx, Airline); err != nil {
		return nil, err
	}
	if err := publishAirlineAgreement(ctx, svc); err != nil {
		return nil, err
	}
	secret, _, err := svc.CreateToken(ctx, ledger.TokenSpec{Name: "check-in-desk", Role: tally.Verifier, Categories: []string{AirlineMeasure}})
	if err != nil {
		return nil, err
	}
	return &AirlineVerifier{Token: secret}, nil
}
