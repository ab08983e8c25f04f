// Package sqlstore is tally's storage written once in SQL for both
// databases it runs on: the embedded SQLite file (package sqlite) and
// PostgreSQL (package postgres). Every query lives here, with ?
// placeholders; a Dialect value says what really differs between the two
// (placeholder style, constraint errors, planner fences, array
// parameters), and a Conn hides the two drivers. Run begins, runs and
// ends a transaction and Migrator applies migrations for both; the
// dialect packages open the database, keep their own DDL files, say how
// to begin a transaction, and add what only one engine can do
// (PostgreSQL's COPY and advisory locks).
//
// Tx implements the store interfaces the ledger declares (ledger.Tx),
// one file per area; the dialect packages embed it in their own
// transaction type. What counts in a score is one SQL condition here
// (records.go), mirroring tally.Record.Counts; the storetest contract
// suite, which both engines run, holds the two together.
package sqlstore
