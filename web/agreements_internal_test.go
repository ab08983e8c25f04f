package web

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// An entry of the exchange is paired with the agreement whose ID and
// other party its detail names as whole words, never with one whose ID
// is only part of a longer name; other entries with none.
func TestWithAgreementsFindsTheAgreementNamed(t *testing.T) {
	in := []tally.Agreement{
		{ID: "court-to-airline", Issuer: "court", Receiver: "airline"},
		{ID: "court-to-airline-2", Issuer: "court", Receiver: "airline-2"},
		{ID: "agency-to-city", Issuer: "agency", Receiver: "city"},
	}
	entry := func(action, en string) ledger.AccessEntry {
		return ledger.AccessEntry{Action: action, DetailText: tally.Text{En: en}}
	}
	for _, tc := range []struct {
		name  string
		entry ledger.AccessEntry
		want  string
	}{
		{"share", entry("share", "sent to airline: list entry on judgment-defaulters (X) under agreement court-to-airline, purpose: p"), "court-to-airline"},
		{"a longer ID", entry("share", "sent to airline-2: list entry on judgment-defaulters (X) under agreement court-to-airline-2, purpose: p"), "court-to-airline-2"},
		{"receive", entry("receive", "received from agency: record on rongcheng-city/utilities.theft (R) under agreement agency-to-city"), "agency-to-city"},
		{"another receiver", entry("share", "sent to railway: list entry on judgment-defaulters (X) under agreement court-to-airline, purpose: p"), ""},
		{"no agreement in force", entry("share", "sent to bank: list entry on x (X) under agreement court-to-bank, purpose: p"), ""},
		{"not of the exchange", entry("list", "listed on court-to-airline, case X by airline"), ""},
	} {
		got := withAgreements([]ledger.AccessEntry{tc.entry}, in)[0].Agreement
		switch {
		case tc.want == "" && got != nil:
			t.Errorf("%s: paired with %s, want none", tc.name, got.ID)
		case tc.want != "" && (got == nil || got.ID != tc.want):
			t.Errorf("%s: paired with %v, want %s", tc.name, got, tc.want)
		}
	}
}
