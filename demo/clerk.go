package demo

import (
	"context"
	"fmt"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// clerkAdds has the recorder, as the village clerk at the /people page,
// add a newcomer, enrol them in the first group with their consent to be
// scored, and record their consent to the honour board. It returns who.
func (sc *showcase) clerkAdds(clerk context.Context, newcomer Example) (int64, error) {
	if _, err := sc.svc.AddSubject(clerk, ledger.NewSubject{Kind: tally.Person, Identifier: newcomer.Identifier, Name: newcomer.Name}); err != nil {
		return 0, fmt.Errorf("demo clerk: add %s: %w", newcomer.Name, err)
	}
	if _, err := sc.svc.Enrol(clerk, ledger.Enrolment{Scheme: village, Identifier: newcomer.Identifier, Unit: "一组",
		Consent: true, How: ClerkConsent}); err != nil {
		return 0, fmt.Errorf("demo clerk: enrol %s: %w", newcomer.Name, err)
	}
	if err := sc.svc.SetPublication(clerk, village, newcomer.Identifier, true, ClerkPublication); err != nil {
		return 0, fmt.Errorf("demo clerk: publication consent of %s: %w", newcomer.Name, err)
	}
	found, err := sc.svc.Find(clerk, village, newcomer.Identifier)
	if err != nil {
		return 0, err
	}
	if len(found) != 1 {
		return 0, fmt.Errorf("demo clerk: %d enrolled as %s, want 1", len(found), newcomer.Name)
	}
	return found[0].SubjectID, nil
}
