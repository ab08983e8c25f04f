// Package tally holds the domain of a rule-of-law credit-points system:
// schemes, subjects and their identifiers, records, scores, grades and the
// one error type every layer shares.
//
// The package does no I/O. Use cases live in package ledger, rulebooks are
// parsed and checked by package rulebook, and each storage technology has a
// package of its own (sqlite). See docs/ARCHITECTURE.md.
package tally
