// Package sqlstore is tally's storage written once in SQL for both
// databases it runs on: the embedded SQLite file (package sqlite) and
// PostgreSQL (package postgres). Every query lives here, with ?
// placeholders; a Dialect value says what really differs between the two
// (placeholder style, error codes, planner fences, array parameters), and
// a Conn hides the two drivers. The dialect packages open the database,
// run migrations, begin transactions and add what only one engine can do
// (PostgreSQL's COPY and advisory locks).
//
// Tx implements every method of ledger.Tx that is the same on both
// engines; the dialect packages embed it in their own transaction type.
package sqlstore
