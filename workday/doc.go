// Package workday is the working-day calendar of mainland China: for each
// year, the days off and the make-up working days (调休) of the State
// Council General Office's holiday notice. A due-process clock counted in
// working days follows it. A year without its notice is an error to
// Working and AddWorkingDays; Reckon counts it Monday to Friday and names
// it, so that the ledger can take a filing and mark its deadline
// provisional until the notice is imported.
//
// The 2025 and 2026 notices are embedded (holidays-cn.json, each year with
// its source); later years are read from files of the same format (Parse)
// and kept by the ledger. The package does no I/O.
package workday
