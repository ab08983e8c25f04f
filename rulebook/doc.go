// Package rulebook parses, checks and compiles published rulebooks: the YAML
// files that define a scheme's rules. It does no I/O: callers pass the bytes
// of a file and get back a Book that scores facts, or a Report of every
// problem found.
//
// Load refuses a rulebook that breaks the safeguards of a rule-of-law
// scheme: a deduction without a legal basis, a severity, an expiry or a cap;
// an expiry longer than the severity allows; and any rule that targets a
// protected activity such as petitioning, speech or religion. The format and
// the safeguards are described in docs/RULEBOOK.md.
package rulebook
