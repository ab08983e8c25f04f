package ledger

import (
	"sort"

	"github.com/tallycredit/tally"
)

// checkConductText checks the texts a record carries against tally.Limits:
// its source reference, evidence and recorder's name.
func checkConductText(c Conduct) error {
	if err := tally.CheckText("ref", c.Ref, tally.Limits.Ref, false); err != nil {
		return err
	}
	if err := tally.CheckText("evidence", c.Evidence, tally.Limits.Evidence, true); err != nil {
		return err
	}
	return tally.CheckText("by", c.By, tally.Limits.Name, false)
}

// checkFacts checks every string value of a record's facts, in name order
// so that the same input always names the same fact.
func checkFacts(facts map[string]any) error {
	names := make([]string, 0, len(facts))
	for name := range facts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if v, ok := facts[name].(string); ok {
			if err := tally.CheckText("facts."+name, v, tally.Limits.Fact, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkEnrolmentText checks an enrolment's unit and how consent was given.
func checkEnrolmentText(in Enrolment) error {
	if err := tally.CheckText("unit", in.Unit, tally.Limits.Unit, false); err != nil {
		return err
	}
	return tally.CheckText("how", in.How, tally.Limits.Reason, true)
}

// checkListingText checks a listing's texts: the name, case number and
// issuing body on one line each, the grounds and legal basis on several.
func checkListingText(in *Listing) error {
	for _, f := range []struct {
		field, text string
		max         int
		multiline   bool
	}{
		{"name", in.Name, tally.Limits.Name, false},
		{"case_number", in.CaseNumber, tally.Limits.Ref, false},
		{"court", in.Court, tally.Limits.Title, false},
		{"grounds", in.Grounds, tally.Limits.Reason, true},
		{"basis", in.Basis, tally.Limits.Reason, true},
	} {
		if err := tally.CheckText(f.field, f.text, f.max, f.multiline); err != nil {
			return err
		}
	}
	return nil
}
