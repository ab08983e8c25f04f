// Package wire holds the JSON bodies of tally's HTTP API (/api/v1): what
// each endpoint reads and what it answers. The server (httpapi) encodes
// its answers and decodes its requests with these types, and the Go
// client (client) does the reverse, so the two cannot drift apart; the
// field names are the API's, documented in docs/API.md and
// httpapi/openapi.json.
//
// Where the ledger already returns a value in the shape the API sends it,
// the type here is an alias of the ledger's, so that shape is written
// once. The package has no behaviour of its own.
package wire
