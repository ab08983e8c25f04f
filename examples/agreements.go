package examples

import "embed"

// Agreements holds the sample data-sharing agreements of agreements/:
// court-to-airline.yaml (a court's defaulters list to an airline's
// verifier) and agency-to-city.yaml (an agency's penalty decisions to the
// city credit office).
//
//go:embed agreements/*.yaml
var Agreements embed.FS
