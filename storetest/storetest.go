// Package storetest is the contract every ledger.Store must pass. A store
// package calls Run from its own tests, so that every storage engine is held
// to the same behaviour: codes of errors, ordering, paging, time precision
// and transaction semantics.
package storetest

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Run runs the contract suite against stores made by open; each call of
// open returns a new, empty store (e.g. a SQLite file in t.TempDir()). The
// store is closed by open's caller via t.Cleanup. The subtests, named
// area/test, run in parallel, each with a store of its own.
func Run(t *testing.T, open func(t *testing.T) ledger.Store) {
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			for _, tc := range a.tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					tc.fn(t, open(t))
				})
			}
		})
	}
}

// contract is one test of the suite.
type contract struct {
	name string
	fn   func(*testing.T, ledger.Store)
}

// areas groups the tests by the part of the store they hold to its
// contract: transactions, then the small interfaces of ledger.Tx.
var areas = []struct {
	name  string
	tests []contract
}{
	{"Tx", []contract{
		{"UpdateCommits", testUpdateCommits},
		{"UpdateRollsBack", testUpdateRollsBack},
		{"ViewIsReadOnly", testViewIsReadOnly},
		{"ViewSnapshot", testViewSnapshot},
		{"TxUsableAfterConflict", testTxUsableAfterConflict},
		{"EveryConflictKeepsTx", testEveryConflictKeepsTx},
		{"WebConflictsKeepTx", testWebConflictsKeepTx},
		{"Concurrency", testConcurrency},
		{"NotFound", testNotFound},
	}},
	{"Meta", []contract{{"Meta", testMeta}}},
	{"Rulebooks", []contract{
		{"Rulebooks", testRulebooks},
		{"Schemes", testSchemes},
		{"SchemesByteOrder", testSchemesByteOrder},
	}},
	{"Subjects", []contract{
		{"Subjects", testSubjects},
		{"SubjectConflict", testSubjectConflict},
	}},
	{"Locks", []contract{
		{"LockSubject", testLockSubject},
		{"LockSubjectSerialises", testLockSubjectSerialises},
		{"LockSubjectsSerialises", testLockSubjectsSerialises},
	}},
	{"Enrolments", []contract{
		{"Enrolment", testEnrolment},
		{"EnrolmentConsent", testEnrolmentConsent},
		{"Enrolments", testEnrolments},
		{"EnrolmentsOf", testEnrolmentsOf},
		{"SearchEnrolled", testSearchEnrolled},
	}},
	{"Records", []contract{
		{"RecordRoundTrip", testRecordRoundTrip},
		{"RecordFacts", testRecordFacts},
		{"RecordConflicts", testRecordConflicts},
		{"InsertRecords", testInsertRecords},
		{"InsertRecordsBatches", testInsertRecordsBatches},
		{"Reversal", testReversal},
		{"References", testReferences},
	}},
	{"RecordReads", []contract{
		{"RecordsByRefs", testRecordsByRefs},
		{"SubjectsByLookups", testSubjectsByLookups},
		{"EnrolledAmong", testEnrolledAmong},
		{"SumsAwarded", testSumsAwarded},
		{"History", testHistory},
		{"RecordsRecorded", testRecordsRecorded},
	}},
	{"Scores", []contract{
		{"SumAwarded", testSumAwarded},
		{"InEffect", testInEffect},
	}},
	{"RecordCounts", []contract{
		{"Counts", testCounts},
		{"RuleCounts", testRuleCounts},
	}},
	{"Tokens", []contract{{"Tokens", testTokens}}},
	{"AccessLog", []contract{
		{"AccessLog", testAccessLog},
		{"InsertAccesses", testInsertAccesses},
		{"Authority", testAccessAuthority},
		{"Archive", testAccessArchive},
	}},
	{"Idempotency", []contract{
		{"ClaimResponse", testClaimResponse},
		{"ClaimWaits", testClaimWaits},
	}},
	{"Savepoints", []contract{{"Savepoints", testSavepoints}}},
	{"Accounts", []contract{{"Accounts", testAccounts}}},
	{"Sessions", []contract{{"Sessions", testSessions}}},
	{"Evidence", []contract{
		{"Evidence", testEvidence},
		{"EvidenceItems", testEvidenceItems},
	}},
	{"Catalogue", []contract{{"Catalogues", testCatalogues}}},
	{"ListEntries", []contract{
		{"ListEntries", testListEntries},
		{"ListsAppendOnly", testListsAppendOnly},
	}},
	{"CheckCounts", []contract{{"CheckCounts", testCheckCounts}}},
	{"Holds", []contract{{"Holds", testHolds}}},
	{"Objections", []contract{{"Objections", testObjections}, {"DisputedAgrees", testDisputedAgrees}}},
	{"Repairs", []contract{{"Repairs", testRepairs}}},
	{"Notices", []contract{{"Notices", testNotices}, {"InsertNotices", testInsertNotices}, {"NoticeAcks", testNoticeAcks}}},
	{"Periods", []contract{{"WindowRecords", testWindowRecords}, {"CloseSubjects", testCloseSubjects}, {"PeriodSums", testPeriodSums}, {"WindowRepairs", testWindowRepairs}, {"CountsAgree", testCountsAgree}}},
	{"Closes", []contract{{"Closes", testCloses}, {"CloseBatches", testCloseBatches}}},
	{"Reports", []contract{{"Reports", testReports}}},
	{"KioskCodes", []contract{{"KioskCodes", testKioskCodes}}},
	{"Calendars", []contract{{"Calendars", testCalendars}}},
	{"Commitments", []contract{{"Commitments", testCommitments}}},
	{"Cascades", []contract{{"CascadeOnRevocation", testCascadeOnRevocation}}},
	{"Proposals", []contract{{"Proposals", testProposals}}},
	{"Exchange", []contract{{"Agreements", testAgreements}, {"Shares", testShares}, {"Received", testReceived}, {"Rejections", testRejections}}},
	{"TransLog", []contract{
		{"Tree", testLogTree},
		{"AppendOnce", testLogAppendOnce},
		{"Checkpoints", testLogCheckpoints},
		{"Unlogged", testLogUnlogged},
		{"EntryReads", testLogEntryReads},
	}},
}

// Input times are in zones other than UTC: a store must keep the instant,
// not the zone.
var (
	beijing = time.FixedZone("CST", 8*60*60)
	lima    = time.FixedZone("PET", -5*60*60)
)

// t0 is the base instant of the fixtures. It has a microsecond part, the
// precision every store must keep.
var t0 = time.Date(2024, 3, 1, 9, 30, 15, 123456000, beijing)

const (
	scheme      = "rongcheng"
	otherScheme = "jiakuang"
)

// mustUpdate runs fn in s.Update and fails the test on any error.
func mustUpdate(t testing.TB, s ledger.Store, fn func(ledger.Tx) error) {
	t.Helper()
	if err := s.Update(t.Context(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// mustView runs fn in s.View and fails the test on any error.
func mustView(t testing.TB, s ledger.Store, fn func(ledger.Tx) error) {
	t.Helper()
	if err := s.View(t.Context(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// wantCode reports an error unless err has code want.
func wantCode(t testing.TB, what string, err error, want tally.ErrorCode) {
	t.Helper()
	if got := tally.ErrorCodeOf(err); got != want {
		t.Errorf("%s: got error %v (code %q), want code %q", what, err, got, want)
	}
}

// lookupOf is the Lookup of fixture subject n.
func lookupOf(n int) []byte {
	h := sha256.Sum256(fmt.Appendf(nil, "subject %d", n))
	return h[:]
}

// newSubject returns fixture person n, not yet stored.
func newSubject(n int) *tally.Subject {
	return &tally.Subject{
		Kind:    tally.Person,
		Name:    fmt.Sprintf("王 %d", n),
		Masked:  fmt.Sprintf("3710**********%04d", n),
		Lookup:  lookupOf(n),
		Sealed:  fmt.Appendf(nil, "sealed %d", n),
		AdultOn: time.Date(1958, 7, 1, 0, 0, 0, 0, lima),
		Created: t0.Add(time.Duration(n) * time.Microsecond),
	}
}

// addSubjects stores fixture subjects 1..n and returns their IDs.
func addSubjects(t testing.TB, s ledger.Store, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for i := range ids {
			sub := newSubject(i + 1)
			if err := tx.InsertSubject(t.Context(), sub); err != nil {
				return err
			}
			ids[i] = sub.ID
		}
		return nil
	})
	return ids
}

// enrol enrols each subject in scheme.
func enrol(t testing.TB, s ledger.Store, scheme string, ids ...int64) {
	t.Helper()
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, id := range ids {
			e := &tally.Enrolment{Scheme: scheme, SubjectID: id, Unit: "east", Enrolled: t0, By: "clerk"}
			if err := tx.InsertEnrolment(t.Context(), e); err != nil {
				return err
			}
		}
		return nil
	})
}

// newRecord returns an original record, not yet stored.
func newRecord(scheme string, subjectID int64, rule, ref string, happened time.Time, awarded int64) *tally.Record {
	return &tally.Record{
		Scheme:     scheme,
		Version:    1,
		SubjectID:  subjectID,
		Rule:       rule,
		Facts:      map[string]any{"hours": 4},
		HappenedAt: happened,
		RecordedAt: happened.Add(time.Hour),
		RecordedBy: "clerk",
		Ref:        ref,
		Evidence:   "form " + ref,
		Requested:  awarded,
		Awarded:    awarded,
		Digest:     "digest " + ref,
	}
}

// newReversal returns a record reversing the stored record of, not yet
// stored. It happens when the original did, so that only its being a
// reversal keeps it out of sums and scores.
func newReversal(of *tally.Record, ref string) *tally.Record {
	r := newRecord(of.Scheme, of.SubjectID, of.Rule, ref, of.HappenedAt, -of.Awarded)
	r.Reason = "entered twice"
	r.Reverses = of.ID
	return r
}

// insertRecords stores rs in one Update, setting their IDs.
func insertRecords(t testing.TB, s ledger.Store, rs ...*tally.Record) {
	t.Helper()
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, r := range rs {
			if err := tx.InsertRecord(t.Context(), r); err != nil {
				return fmt.Errorf("insert %s: %w", r.Ref, err)
			}
		}
		return nil
	})
}

// recordIDs returns the IDs of rs.
func recordIDs(rs []tally.Record) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// idsOf returns the IDs of rs.
func idsOf(rs ...*tally.Record) []int64 {
	out := make([]int64, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// jsonFacts returns facts as they come back from a JSON round trip.
func jsonFacts(t testing.TB, facts map[string]any) map[string]any {
	t.Helper()
	b, err := json.Marshal(facts)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkRecord reports each field of got that differs from want. Times are
// compared as instants and facts as they come back from JSON.
func checkRecord(t testing.TB, got, want *tally.Record) {
	t.Helper()
	field := func(name string, g, w any) {
		t.Helper()
		if !reflect.DeepEqual(g, w) {
			t.Errorf("record %s: %s: got %v, want %v", want.Ref, name, g, w)
		}
	}
	instant := func(name string, g, w time.Time) {
		t.Helper()
		if !g.Equal(w) {
			t.Errorf("record %s: %s: got %v, want %v", want.Ref, name, g, w)
		}
	}
	field("ID", got.ID, want.ID)
	field("Scheme", got.Scheme, want.Scheme)
	field("Version", got.Version, want.Version)
	field("SubjectID", got.SubjectID, want.SubjectID)
	field("Rule", got.Rule, want.Rule)
	if len(got.Facts) != 0 || len(want.Facts) != 0 {
		field("Facts", got.Facts, jsonFacts(t, want.Facts))
	}
	instant("HappenedAt", got.HappenedAt, want.HappenedAt)
	instant("RecordedAt", got.RecordedAt, want.RecordedAt)
	field("RecordedBy", got.RecordedBy, want.RecordedBy)
	field("Ref", got.Ref, want.Ref)
	field("Evidence", got.Evidence, want.Evidence)
	field("Requested", got.Requested, want.Requested)
	field("Awarded", got.Awarded, want.Awarded)
	field("Reason", got.Reason, want.Reason)
	instant("ExpiresAt", got.ExpiresAt, want.ExpiresAt)
	field("ExpiresAt.IsZero", got.ExpiresAt.IsZero(), want.ExpiresAt.IsZero())
	field("Reverses", got.Reverses, want.Reverses)
	field("Digest", got.Digest, want.Digest)
}

// reflectNil reports whether v is nil or a nil pointer.
func reflectNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
