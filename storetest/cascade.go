package storetest

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/ledger"
)

// cascadeBook is a scheme whose deduction follows a court judgment: its
// records carry the judgment's case number as their ref.
const cascadeBook = `scheme: cascade-city
name: {zh: 撤销联动测试, en: Cascade test}
subjects: [person]
base: 1000
effective: 2025-01-01
timezone: Asia/Shanghai
grades:
  - {grade: A, min: 960}
  - {grade: B}
categories:
  contract: {zh: 合同履约, en: Contracts}
rules:
  - code: contract.breach-judgment
    title: {zh: 经法院判决违约, en: Breach of contract found by a court}
    category: contract
    points: -50
    severity: general
    lasts: 1y
    cap: {points: 50, per: year}
    basis: {zh: 生效法院判决, en: An effective court judgment}
`

// cascadeCatalogue has one list, restricting air travel.
const cascadeCatalogue = `catalogue: cascade-test
timezone: Asia/Shanghai
lists:
  - id: judgment-defaulters
    name: {zh: 失信被执行人名单, en: Dishonest judgment defaulters}
    authority: People's courts
    basis: {zh: 最高人民法院规定, en: SPC Provisions}
    criteria: An unperformed effective judgment.
    removal: {zh: 履行完毕后删除, en: Removed once performed}
    term: 2y
measures:
  - {id: air-travel, name: {zh: 乘坐飞机, en: Air travel}, kind: right, listed: restrict-air-travel}
sanctions:
  - {list: judgment-defaulters, measure: air-travel, basis: {zh: 联合惩戒备忘录, en: Joint-sanctions memorandum}}
`

// testCascadeOnRevocation is the condition: a revoked court
// judgment removes its list entry and the deductions derived from it, and
// a verifier's next check is allowed, all within the scheme's cascade
// clock; a revocation recorded after the clock ran out is flagged overdue.
func testCascadeOnRevocation(t *testing.T, s ledger.Store) {
	loc := beijing
	var clock atomic.Int64
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, loc) // a Thursday
	clock.Store(now.UnixNano())
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, err := ledger.NewVault(key)
	if err != nil {
		t.Fatal(err)
	}
	svc := ledger.New(s, vault, ledger.Options{Now: func() time.Time { return time.Unix(0, clock.Load()).In(loc) }})
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "clerk", Role: tally.Admin}), "test")
	if _, err := svc.Publish(ctx, "cascade.yaml", []byte(cascadeBook)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PublishCatalogue(ctx, "cascade.yml", []byte(cascadeCatalogue)); err != nil {
		t.Fatal(err)
	}
	const zhang, li = "360426199101010071", "34052419800101001X"
	judgment, other := "(2026)鲁1082民初77号", "(2026)鲁1082民初78号"
	for _, p := range []struct{ id, name, judgment string }{{zhang, "张三", judgment}, {li, "李四", other}} {
		if _, err := svc.AddSubject(ctx, ledger.NewSubject{Kind: tally.Person, Identifier: p.id, Name: p.name}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, ledger.Enrolment{Scheme: "cascade-city", Identifier: p.id, Consent: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.List(ctx, ledger.Listing{List: "judgment-defaulters", Identifier: p.id, Name: p.name, CaseNumber: p.judgment,
			Court: "荣成市人民法院", DecidedOn: now.AddDate(0, -2, 0), NoticeServed: now.AddDate(0, -1, -20),
			Grounds: "able to perform but refuses", Basis: "SPC Provisions art. 1(1)"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Record(ctx, ledger.Conduct{Scheme: "cascade-city", Identifier: p.id, Rule: "contract.breach-judgment",
			At: now.AddDate(0, -2, 0), Ref: p.judgment, By: "clerk", Evidence: "the judgment"}); err != nil {
			t.Fatal(err)
		}
	}
	chk := checkindex.NewChecker(svc, checkindex.CheckerOptions{})
	if err := chk.Load(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(id, name string) string {
		t.Helper()
		ans, err := chk.Check(ctx, checkindex.CheckQuery{Identifier: id, Name: name, Measure: "air-travel"})
		if err != nil {
			t.Fatal(err)
		}
		return ans.Answer
	}
	if got := check(zhang, "张三"); got != checkindex.AnswerDenied {
		t.Fatalf("before the revocation: %s, want denied", got)
	}

	// The judgment was revoked on appeal on Tuesday; the office records it
	// on Thursday, within 3 working days.
	revokedOn := time.Date(2026, 11, 24, 0, 0, 0, 0, loc)
	c, err := svc.Revoke(ctx, ledger.Revocation{Source: judgment, RevokedOn: revokedOn, Note: "(2026)鲁10民终9号 revoked it"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Overdue || len(c.EntriesRemoved) != 1 || len(c.RecordsReversed) != 1 {
		t.Errorf("cascade: %+v, want 1 entry removed, 1 record reversed, not overdue", c)
	}
	if want := time.Date(2026, 11, 27, 0, 0, 0, 0, loc); c.Due.Before(want) || !c.Due.Before(want.AddDate(0, 0, 1)) {
		t.Errorf("due %v, want within Friday 2026-11-27", c.Due)
	}
	if got := check(zhang, "张三"); got != checkindex.AnswerAllowed {
		t.Errorf("the next check after the revocation: %s, want allowed", got)
	}
	if got := check(li, "李四"); got != checkindex.AnswerDenied {
		t.Errorf("another judgment's listing: %s, want still denied", got)
	}
	var entry *tally.ListEntry
	if err := s.View(ctx, func(tx ledger.Tx) (err error) {
		entry, err = tx.ListEntryByCase(ctx, "judgment-defaulters", judgment)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if entry.Removal == nil || entry.Removal.Reason != tally.Revoked || !entry.Removal.On.Equal(revokedOn) {
		t.Errorf("entry %+v, removal %+v: want removed as revoked from %v", entry, entry.Removal, revokedOn)
	}
	sc, err := svc.Score(ctx, "cascade-city", zhang, now)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Score == nil || *sc.Score != 1000 {
		t.Errorf("score after the revocation: %+v, want the base 1000 (the deduction reversed)", sc)
	}
	notices, err := svc.Outbox(ctx, ledger.OutboxQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var told bool
	for _, n := range notices {
		told = told || (n.Kind == tally.NoticeCascade && strings.Contains(n.Body, judgment))
	}
	if !told {
		t.Errorf("no cascade notice naming %s among %d notices", judgment, len(notices))
	}
	log, err := svc.AccessLog(ctx, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string]bool{}
	for _, e := range log {
		steps[e.Action] = true
	}
	if !steps["cascade-remove"] || !steps["cascade-reverse"] {
		t.Errorf("access log actions %v, want cascade-remove and cascade-reverse", steps)
	}

	// Again with the same content changes nothing.
	again, err := svc.Revoke(ctx, ledger.Revocation{Source: judgment, RevokedOn: revokedOn, Note: "(2026)鲁10民终9号 revoked it"})
	if err != nil || !again.Existed || again.ID != c.ID {
		t.Errorf("again: %+v, %v; want the first cascade", again, err)
	}

	// The other judgment was revoked two weeks ago: the cascade is applied
	// at once but flagged overdue.
	late, err := svc.Revoke(ctx, ledger.Revocation{Source: other, RevokedOn: now.AddDate(0, 0, -14)})
	if err != nil {
		t.Fatal(err)
	}
	if !late.Overdue {
		t.Errorf("a revocation recorded 14 days late: %+v, want overdue", late)
	}
	if got := check(li, "李四"); got != checkindex.AnswerAllowed {
		t.Errorf("after the late revocation: %s, want allowed", got)
	}
	overdue, err := svc.Cascades(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(overdue) != 1 || overdue[0].Source != other {
		t.Errorf("overdue cascades %+v, want only %s", overdue, other)
	}
	all, err := svc.Cascades(ctx, false)
	if err != nil || len(all) != 2 {
		t.Errorf("cascades: %d, %v; want 2", len(all), err)
	}
}
