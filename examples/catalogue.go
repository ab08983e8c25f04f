package examples

import _ "embed"

// Sanctions is the default sanctions catalogue (sanctions.yml): lists,
// measures and the joint-sanctions matrix. tally init and tally demo
// publish it.
//
//go:embed sanctions.yml
var Sanctions []byte
