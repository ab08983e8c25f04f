package ledger_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
	"github.com/tallycredit/tally/synth"
)

// agreementFile is a data-sharing agreement as published.
func agreementFile(id, issuer, receiver string, lists, rules []string) string {
	return fmt.Sprintf(`id: %s
issuer: %s
receiver: %s
purpose:
  zh: 限制失信被执行人乘坐飞机
  en: refusing flights to judgment defaulters
basis:
  zh: 最高人民法院关于公布失信被执行人名单信息的若干规定
  en: SPC Provisions on publishing the list of judgment defaulters
lists: [%s]
rules: [%s]
`, id, issuer, receiver, strings.Join(lists, ", "), strings.Join(rules, ", "))
}

// instance names a list fixture and publishes agreements in it.
func (f *listFixture) instance(t *testing.T, name string, agreements ...string) *listFixture {
	t.Helper()
	if err := f.svc.SetInstanceName(f.ctx, name); err != nil {
		t.Fatal(err)
	}
	for i, src := range agreements {
		if _, err := f.svc.PublishAgreement(f.ctx, fmt.Sprintf("agreement-%d.yaml", i), []byte(src)); err != nil {
			t.Fatalf("publish agreement %d: %v", i, err)
		}
	}
	return f
}

// pending returns the outbox's unpublished shares.
func (f *listFixture) pending(t *testing.T) []tally.Share {
	t.Helper()
	shares, err := f.svc.PendingShares(f.ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	return shares
}

// court is an instance named court that shares judgment defaulters with
// an airline and a railway, and serious violators with the airline.
func court(t *testing.T) *listFixture {
	return newListFixture(t).instance(t, "court",
		agreementFile("court-to-airline", "court", "airline", []string{"judgment-defaulters", "serious-violators"}, nil),
		agreementFile("court-to-railway", "court", "railway", []string{"judgment-defaulters"}, nil))
}

// airline is an instance named airline that receives the court's judgment
// defaulters (and a list it does not have).
func airline(t *testing.T) *listFixture {
	return newListFixture(t).instance(t, "airline",
		agreementFile("court-to-airline", "court", "airline", []string{"judgment-defaulters", "serious-violators", "no-such-list"}, nil))
}

func TestInstanceIsNamedOnce(t *testing.T) {
	f := newListFixture(t)
	_, err := f.svc.InstanceName(f.ctx)
	wantCode(t, err, tally.ENotFound, "tally init --name")
	wantCode(t, f.svc.SetInstanceName(f.ctx, "Court!"), tally.EInvalid, "lower-case")
	if err := f.svc.SetInstanceName(f.ctx, "court"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetInstanceName(f.ctx, "court"); err != nil {
		t.Errorf("the same name again: %v, want no change", err)
	}
	wantCode(t, f.svc.SetInstanceName(f.ctx, "airline"), tally.EConflict, "court")
	if name, err := f.svc.InstanceName(f.ctx); err != nil || name != "court" {
		t.Errorf("InstanceName = %q, %v; want court", name, err)
	}
}

func TestAgreementsAreVersioned(t *testing.T) {
	f := newListFixture(t)
	src := agreementFile("court-to-airline", "court", "airline", []string{"judgment-defaulters", "no-such-list"}, []string{"rongcheng-city/traffic.minor-violation"})
	_, err := f.svc.PublishAgreement(f.ctx, "a.yaml", []byte(src))
	wantCode(t, err, tally.ENotFound, "tally init --name")
	if err := f.svc.SetInstanceName(f.ctx, "bank"); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.PublishAgreement(f.ctx, "a.yaml", []byte(src))
	wantCode(t, err, tally.EInvalid, "between court and airline")
	f = newListFixture(t).instance(t, "court")
	pub, err := f.svc.PublishAgreement(f.ctx, "a.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if pub.Version != 1 || pub.Unchanged || len(pub.Warnings) != 2 ||
		!strings.Contains(pub.Warnings[0], "no-such-list") || !strings.Contains(pub.Warnings[1], "rongcheng-city") {
		t.Errorf("first version: %+v, want version 1 with warnings on the missing list and scheme", pub)
	}
	again, err := f.svc.PublishAgreement(f.ctx, "a.yaml", []byte(src))
	if err != nil || again.Version != 1 || !again.Unchanged {
		t.Errorf("the same text again: %+v, %v; want version 1 unchanged", again, err)
	}
	next, err := f.svc.PublishAgreement(f.ctx, "a.yaml", []byte(strings.Replace(src, ", no-such-list", "", 1)))
	if err != nil || next.Version != 2 || next.Unchanged {
		t.Errorf("a new text: %+v, %v; want version 2", next, err)
	}
	all, err := f.svc.Agreements(ledger.WithActor(f.ctx, &tally.Actor{Name: "public", Role: tally.Public}))
	if err != nil || len(all) != 1 || all[0].Version != 2 || len(all[0].Lists) != 1 {
		t.Errorf("Agreements = %+v, %v; want version 2 only, readable by the public", all, err)
	}
}

// An entry on a list two agreements cover goes into the outbox once per
// agreement, in the transaction of the entry; a listing that fails writes
// none, and a list no agreement covers writes none.
func TestListingWritesOneSharePerAgreement(t *testing.T) {
	f := court(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	shares := f.pending(t)
	if len(shares) != 2 {
		t.Fatalf("%d shares, want 2 (airline and railway): %+v", len(shares), shares)
	}
	for i, receiver := range []string{"airline", "railway"} {
		sh := shares[i]
		c := sh.Change
		if sh.Receiver != receiver || c.Receiver != receiver || c.Issuer != "court" || c.Agreement != "court-to-"+receiver || c.AgreementVersion != 1 ||
			c.Seq != 1 || sh.Seq != 1 || c.Kind != tally.ShareListing || c.Subject != zhang || c.Name != "张三" || c.List != "judgment-defaulters" ||
			c.Basis != entry.Basis || c.Version != 1 || c.Entry == nil || c.Entry.CaseNumber != entry.CaseNumber || !c.Entry.Ends.Equal(entry.Ends) ||
			c.Entry.Term != entry.Term || !sh.PublishedAt.IsZero() {
			t.Errorf("share %d: %+v, change %+v", i, sh, c)
		}
	}
	other := defaulter()
	other.Grounds = "something else"
	_, err = f.svc.List(f.ctx, other)
	wantCode(t, err, tally.EConflict, "other content")
	again := defaulter()
	if v, err := f.svc.List(f.ctx, again); err != nil || !v.Existed {
		t.Fatalf("the same listing again: %+v, %v", v, err)
	}
	uncovered := defaulter()
	uncovered.List, uncovered.CaseNumber = "consumption-restricted", "(2025)鲁1082执124号"
	if _, err := f.svc.List(f.ctx, uncovered); err != nil {
		t.Fatal(err)
	}
	if got := f.pending(t); len(got) != 2 {
		t.Errorf("%d shares after a refused listing, a repeated one and one on an uncovered list, want still 2", len(got))
	}
}

// Removals by hand, by a cascade and by a decided objection, and an entry
// made by a decided proposal, are shared with the right kinds, each
// receiver's changes numbered 1, 2, 3, ...
func TestRemovalsAndDecisionsAreShared(t *testing.T) {
	f := court(t)
	first := defaulter()
	second := defaulter()
	second.CaseNumber = "(2025)鲁1082执200号"
	for _, in := range []ledger.Listing{first, second} {
		if _, err := f.svc.List(f.ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.Remove(f.ctx, ledger.Removal{List: first.List, CaseNumber: first.CaseNumber, Reason: tally.Performed}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Revoke(f.ctx, ledger.Revocation{Source: second.CaseNumber, Note: "retrial"}); err != nil {
		t.Fatal(err)
	}
	p := f.proposed(t)
	f.set(now.Add(6 * 24 * time.Hour * 2))
	if _, err := f.svc.DecideProposal(f.reviewer("reviewer-wang"), ledger.ProposalDecisionInput{ID: p.ID, List: true, Reasons: "art. 116"}); err != nil {
		t.Fatal(err)
	}
	type want struct {
		kind      tally.ShareKind
		caseNo    string
		reason    tally.RemovalReason
		receivers string
	}
	wants := []want{
		{tally.ShareListing, first.CaseNumber, "", "airline railway"},
		{tally.ShareListing, second.CaseNumber, "", "airline railway"},
		{tally.ShareRemoval, first.CaseNumber, tally.Performed, "airline railway"},
		{tally.ShareRemoval, second.CaseNumber, tally.Revoked, "airline railway"},
		{tally.ShareListing, p.CaseNumber, "", "airline"},
	}
	seqs := map[string]int64{}
	shares := f.pending(t)
	i := 0
	for _, w := range wants {
		for _, receiver := range strings.Fields(w.receivers) {
			if i >= len(shares) {
				t.Fatalf("%d shares, want more: %+v", len(shares), shares)
			}
			c := shares[i].Change
			i++
			seqs[receiver]++
			got := ""
			if c.Entry != nil {
				got = c.Entry.CaseNumber
			}
			if c.Removal != nil {
				got = c.Removal.CaseNumber
				if c.Removal.Reason != w.reason {
					t.Errorf("removal of %s for %s: reason %s, want %s", got, receiver, c.Removal.Reason, w.reason)
				}
			}
			if c.Kind != w.kind || got != w.caseNo || c.Receiver != receiver || c.Seq != seqs[receiver] {
				t.Errorf("share %d: %s of %s to %s #%d, want %s of %s to %s #%d", i, c.Kind, got, c.Receiver, c.Seq, w.kind, w.caseNo, receiver, seqs[receiver])
			}
		}
	}
	if i != len(shares) {
		t.Errorf("%d shares, want %d", len(shares), i)
	}
}

// Publishing marks the shares and tells the subject, in both languages,
// which receiver got which entry under which agreement and for what.
func TestPublishedSharesAreInTheSubjectsAccessLog(t *testing.T) {
	f := court(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	exchange := ledger.WithActor(f.ctx, &tally.Actor{Name: "exchange", Role: tally.Admin})
	if err := f.svc.MarkPublished(exchange, f.pending(t)); err != nil {
		t.Fatal(err)
	}
	if got := f.pending(t); len(got) != 0 {
		t.Errorf("%d shares pending after publishing, want none", len(got))
	}
	log, err := f.svc.AccessLog(f.subjectCtx(zhang), zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var shared []ledger.AccessEntry
	for _, e := range log {
		if e.Action == "share" {
			shared = append(shared, e)
		}
	}
	if len(shared) != 2 {
		t.Fatalf("%d share entries in the access log, want 2: %+v", len(shared), log)
	}
	zh, en := shared[0].DetailText.Zh, shared[0].DetailText.En
	if !strings.Contains(zh, "发送给 airline") || !strings.Contains(zh, "court-to-airline") || !strings.Contains(zh, entry.CaseNumber) ||
		!strings.Contains(zh, "列入名单") || !strings.Contains(zh, "限制失信被执行人乘坐飞机") || strings.Contains(zh, "refusing flights") {
		t.Errorf("in Chinese: %q, want the purpose in Chinese only", zh)
	}
	if !strings.Contains(en, "sent to airline") || !strings.Contains(en, "list entry") || !strings.Contains(en, "refusing flights to judgment defaulters") ||
		strings.Contains(en, "限制失信") {
		t.Errorf("in English: %q, want the purpose in English only", en)
	}
	if shared[0].Actor != "exchange" || shared[0].Op != ledger.OpExchange {
		t.Errorf("entry %+v, want by the exchange under %s", shared[0], ledger.OpExchange)
	}
}

// The airline applies the court's listing and removal: the entry is in
// effect, then removed, as its eligibility reads it; a change seen before
// changes nothing.
func TestReceiveAppliesListingAndRemoval(t *testing.T) {
	c, a := court(t), airline(t)
	entry, err := c.svc.List(c.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	exchange := ledger.WithActor(a.ctx, &tally.Actor{Name: "exchange", Role: tally.Admin})
	listing := c.pending(t)[0].Change
	if applied, err := a.svc.Receive(exchange, listing); err != nil || !applied {
		t.Fatalf("Receive = %v, %v; want applied", applied, err)
	}
	el, err := a.svc.Eligibility(a.ctx, zhang, "air-travel", time.Time{})
	if err != nil || el.Allowed || len(el.Reasons) != 1 || el.Reasons[0].CaseNumber != entry.CaseNumber || !el.Reasons[0].Until.Equal(entry.Ends) {
		t.Fatalf("eligibility at the airline: %+v, %v; want denied for case %s", el, err, entry.CaseNumber)
	}
	if applied, err := a.svc.Receive(exchange, listing); err != nil || applied {
		t.Errorf("the same change again: %v, %v; want not applied", applied, err)
	}
	if _, err := c.svc.Remove(c.ctx, ledger.Removal{List: entry.List, CaseNumber: entry.CaseNumber, Reason: tally.Performed}); err != nil {
		t.Fatal(err)
	}
	removal := c.pending(t)[2].Change
	if removal.Kind != tally.ShareRemoval || removal.Receiver != "airline" {
		t.Fatalf("third share %+v, want the removal to the airline", removal)
	}
	if applied, err := a.svc.Receive(exchange, removal); err != nil || !applied {
		t.Fatalf("Receive removal = %v, %v", applied, err)
	}
	if el, _ := a.svc.Eligibility(a.ctx, zhang, "air-travel", time.Time{}); !el.Allowed {
		t.Errorf("eligibility after the removal: %+v, want allowed", el)
	}
	stale := listing
	stale.Seq = 1
	stale.Entry = &tally.SharedEntry{CaseNumber: "(2025)鲁1082执999号", Court: "x", DecidedOn: now.AddDate(-1, 0, 0), NoticeServed: now.AddDate(-1, 0, 0), Grounds: "g", Term: "3y", Ends: now.AddDate(2, 0, 0)}
	if applied, err := a.svc.Receive(exchange, stale); err != nil || applied {
		t.Errorf("an old number with new content: %v, %v; want a duplicate, not applied", applied, err)
	}
	if el, _ := a.svc.Eligibility(a.ctx, zhang, "air-travel", time.Time{}); !el.Allowed {
		t.Errorf("a duplicate changed the entries: %+v", el)
	}
	log, err := a.svc.AccessLog(a.subjectCtx(zhang), zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	received := 0
	for _, e := range log {
		if e.Action == "receive" {
			received++
			if !strings.Contains(e.DetailText.Zh, "接收自 court") || !strings.Contains(e.DetailText.En, "received from court") {
				t.Errorf("received entry: %+v", e.DetailText)
			}
		}
	}
	if received != 2 {
		t.Errorf("%d received entries in the access log, want 2", received)
	}
}

// A change outside every agreement in force here is refused, and nothing
// is applied.
func TestReceiveRefusesWhatNoAgreementLetsIn(t *testing.T) {
	c, a := court(t), airline(t)
	if _, err := c.svc.List(c.ctx, defaulter()); err != nil {
		t.Fatal(err)
	}
	good := c.pending(t)[0].Change
	exchange := ledger.WithActor(a.ctx, &tally.Actor{Name: "exchange", Role: tally.Admin})
	next := int64(1) // the Seq due next: a change refused for good uses its number up
	for _, tc := range []struct {
		name    string
		edit    func(*tally.Change)
		code    tally.ErrorCode
		says    string
		usesSeq bool
	}{
		{"another receiver", func(c *tally.Change) { c.Receiver = "railway" }, tally.EForbidden, "addressed to railway", false},
		{"unknown agreement", func(c *tally.Change) { c.Agreement = "court-to-bank" }, tally.EForbidden, "no agreement court-to-bank", true},
		{"another issuer", func(c *tally.Change) { c.Issuer, c.Seq = "village", 1 }, tally.EForbidden, "issuer court, not village", false},
		{"a list not covered", func(c *tally.Change) { c.List = "consumption-restricted" }, tally.EForbidden, "does not share", true},
		{"a list unknown here", func(c *tally.Change) { c.List = "no-such-list" }, tally.EInvalid, "not in this instance's sanctions catalogue", true},
		{"a rule not covered", func(c *tally.Change) {
			c.Kind, c.Scheme, c.Rule, c.Entry = tally.ShareRecord, "rongcheng-city", "traffic.minor-violation", nil
		}, tally.EForbidden, "does not share", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ch := good
			ch.Seq = next
			tc.edit(&ch)
			applied, err := a.svc.Receive(exchange, ch)
			if applied {
				t.Error("applied")
			}
			wantCode(t, err, tc.code, tc.says)
			if tc.code == tally.EForbidden && !strings.Contains(err.Error(), "outside every agreement") {
				t.Errorf("error %q does not say it is outside every agreement", err)
			}
		})
		if tc.usesSeq {
			next++
		}
	}
	if el, _ := a.svc.Eligibility(a.ctx, zhang, "air-travel", time.Time{}); !el.Allowed {
		t.Errorf("a refused change was applied: %+v", el)
	}
	// A change that overtakes the one due next waits for it: unavailable,
	// and nothing changes.
	early := good
	early.Seq = next + 1
	if applied, err := a.svc.Receive(exchange, early); applied || tally.ErrorCodeOf(err) != tally.EUnavailable {
		t.Errorf("a change before its turn: %v, %v; want unavailable, not applied", applied, err)
	}
	if el, _ := a.svc.Eligibility(a.ctx, zhang, "air-travel", time.Time{}); !el.Allowed {
		t.Errorf("a change before its turn was applied: %+v", el)
	}
	good.Seq = next
	if applied, err := a.svc.Receive(exchange, good); err != nil || !applied {
		t.Errorf("the good change due next, after the refused ones: %v, %v; want applied", applied, err)
	}
	if applied, err := a.svc.Receive(exchange, good); err != nil || applied {
		t.Errorf("the good change again: %v, %v; want a duplicate, not applied", applied, err)
	}
	if el, _ := a.svc.Eligibility(a.ctx, zhang, "air-travel", time.Time{}); el.Allowed {
		t.Errorf("after the listing was received: %+v, want denied", el)
	}
}

// recordFixtures are a police instance sharing minor traffic violations
// with a city office, which takes them through its own rulebook.
func recordFixtures(t *testing.T) (police, city *listFixture) {
	t.Helper()
	agreement := agreementFile("police-to-city", "police", "city", nil, []string{"rongcheng-city/traffic.minor-violation"})
	police, city = newListFixture(t), newListFixture(t)
	for _, f := range []*listFixture{police, city} {
		f.publishExample("city.yaml")
		f.person("rongcheng-city", zhang, "张三")
	}
	police.instance(t, "police", agreement)
	city.instance(t, "city", agreement)
	return police, city
}

// A received record goes through the receiver's rules and caps, and a
// record its rules refuse is an error that writes nothing.
func TestReceivedRecordsGoThroughTheRules(t *testing.T) {
	police, city := recordFixtures(t)
	for i := range 5 {
		police.record("rongcheng-city", zhang, "traffic.minor-violation", "2026-11-0"+fmt.Sprint(i+1), fmt.Sprintf("police/2026/%d", i+1))
	}
	shares := police.pending(t)
	if len(shares) != 5 {
		t.Fatalf("%d shares, want 5", len(shares))
	}
	if c := shares[0].Change; c.Kind != tally.ShareRecord || c.Record == nil || c.Record.Ref != "police/2026/1" || c.Basis == "" {
		t.Errorf("first share %+v", c)
	}
	exchange := ledger.WithActor(city.ctx, &tally.Actor{Name: "exchange", Role: tally.Admin})
	for _, sh := range shares {
		if applied, err := city.svc.Receive(exchange, sh.Change); err != nil || !applied {
			t.Fatalf("Receive %s: %v, %v", sh.Change.Record.Ref, applied, err)
		}
	}
	hist, err := city.svc.History(city.ctx, "rongcheng-city", zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, r := range hist {
		total += r.Awarded
		if !strings.HasPrefix(r.RecordedBy, "police") {
			t.Errorf("record %+v, want recorded by the police through the exchange", r)
		}
	}
	if len(hist) != 5 || total != -20 {
		t.Errorf("%d records totalling %d at the city, want 5 capped at -20", len(hist), total)
	}
	// Another subject, not enrolled at the city: refused, nothing written.
	police.person("rongcheng-city", li, "李四")
	police.record("rongcheng-city", li, "traffic.minor-violation", "2026-11-10", "police/2026/6")
	refused := police.pending(t)[5].Change
	_, err = city.svc.Receive(exchange, refused)
	if err == nil {
		t.Fatal("a record of a subject unknown at the city was applied")
	}
	if _, err := city.svc.History(city.ctx, "rongcheng-city", li, 0, 100); err == nil {
		t.Error("the refused record's subject exists at the city")
	}
	// Reversed at the police: reversed at the city.
	if _, err := police.svc.Reverse(police.ctx, ledger.Reversal{Scheme: "rongcheng-city", Of: "police/2026/1", Reason: "wrong plate", Ref: "police/2026/1/rev"}); err != nil {
		t.Fatal(err)
	}
	rev := police.pending(t)[6].Change
	if rev.Kind != tally.ShareReverse || rev.Record.Ref != "police/2026/1" {
		t.Fatalf("reversal share %+v", rev)
	}
	if applied, err := city.svc.Receive(exchange, rev); err != nil || !applied {
		t.Fatalf("Receive reversal: %v, %v", applied, err)
	}
	hist, _ = city.svc.History(city.ctx, "rongcheng-city", zhang, 0, 100)
	if len(hist) != 6 || hist[5].Reverses == 0 {
		t.Errorf("history after the reversal: %+v, want a sixth record reversing the first", hist)
	}
}

// Records imported where no agreement covers them write no share.
func TestImportWithoutAgreementsSharesNothing(t *testing.T) {
	police, _ := recordFixtures(t)
	var conducts []ledger.Conduct
	for i := range 3 {
		conducts = append(conducts, police.conduct("rongcheng-city", zhang, "health.blood-donation", "2026-11-0"+fmt.Sprint(i+1), fmt.Sprintf("blood/%d", i)))
	}
	rep, err := police.svc.RecordAll(police.ctx, conducts, ledger.ImportOptions{})
	if err != nil || rep.Recorded != 3 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	if got := police.pending(t); len(got) != 0 {
		t.Errorf("%d shares after importing records no agreement covers, want none", len(got))
	}
	conducts = conducts[:0]
	for i := range 2 {
		conducts = append(conducts, police.conduct("rongcheng-city", zhang, "traffic.minor-violation", "2026-11-1"+fmt.Sprint(i+1), fmt.Sprintf("traffic/%d", i)))
	}
	if rep, err := police.svc.RecordAll(police.ctx, conducts, ledger.ImportOptions{}); err != nil || rep.Recorded != 2 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	if got := police.pending(t); len(got) != 2 || got[1].Change.Seq != 2 || got[1].Change.Record.Ref != "traffic/1" {
		t.Errorf("shares after importing covered records: %+v, want 2", got)
	}
}

// An agreement published by another process (the CLI while the server
// runs) is seen by the next change: the outbox does not keep agreements
// past a new publication.
func TestAgreementPublishedElsewhereIsSeen(t *testing.T) {
	f := newListFixture(t).instance(t, "court", agreementFile("court-to-airline", "court", "airline", []string{"judgment-defaulters"}, nil))
	if _, err := f.svc.List(f.ctx, defaulter()); err != nil {
		t.Fatal(err)
	}
	cli := ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return now }})
	if _, err := cli.PublishAgreement(f.ctx, "railway.yaml", []byte(agreementFile("court-to-railway", "court", "railway", []string{"judgment-defaulters"}, nil))); err != nil {
		t.Fatal(err)
	}
	second := defaulter()
	second.CaseNumber = "(2025)鲁1082执200号"
	if _, err := f.svc.List(f.ctx, second); err != nil {
		t.Fatal(err)
	}
	shares := f.pending(t)
	if len(shares) != 3 || shares[2].Receiver != "railway" {
		t.Errorf("shares %+v, want the second listing shared with the railway too", shares)
	}
}

// An entry voided on objection is shared as a removal "overturned".
func TestOverturnedEntryIsShared(t *testing.T) {
	f := court(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Identifier: zhang, List: entry.List, Case: entry.CaseNumber, Grounds: "I performed the judgment"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Decide(reviewerCtx("judge"), ledger.Decision{Objection: o.ID, Outcome: tally.Voided, Reasons: "the creditor confirms performance"}); err != nil {
		t.Fatal(err)
	}
	shares := f.pending(t)
	if len(shares) != 4 {
		t.Fatalf("%d shares, want 4 (the entry and its removal, to each receiver)", len(shares))
	}
	for _, sh := range shares[2:] {
		if c := sh.Change; c.Kind != tally.ShareRemoval || c.Removal.Reason != tally.Overturned || c.Removal.CaseNumber != entry.CaseNumber || c.Seq != 2 {
			t.Errorf("share %+v, want the removal overturned, number 2", c)
		}
	}
}

// A batch of the stream is applied in one transaction, change by change:
// a refused change is undone alone and uses up its number, and a change
// that overtakes an earlier one waits; the others are applied.
func TestReceiveAllAppliesABatchInOrder(t *testing.T) {
	c, a := court(t), airline(t)
	second := defaulter()
	second.Identifier, second.Name, second.CaseNumber = li, "李四", "(2025)鲁1082执124号"
	for _, l := range []ledger.Listing{defaulter(), second} {
		if _, err := c.svc.List(c.ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	var toAirline []tally.Change
	for _, sh := range c.pending(t) {
		if sh.Receiver == "airline" {
			toAirline = append(toAirline, sh.Change)
		}
	}
	if len(toAirline) != 2 || toAirline[0].Seq != 1 || toAirline[1].Seq != 2 {
		t.Fatalf("shares to the airline %+v, want seqs 1 and 2", toAirline)
	}
	refused := toAirline[1]
	refused.List = "consumption-restricted" // not in the agreement
	late := toAirline[1]
	late.Seq = 3
	overtaking := toAirline[0]
	overtaking.Seq = 5
	exchange := ledger.WithActor(a.ctx, &tally.Actor{Name: "exchange", Role: tally.Admin})
	errs, err := a.svc.ReceiveAll(exchange, []tally.Change{toAirline[0], refused, late, overtaking})
	if err != nil {
		t.Fatal(err)
	}
	want := []tally.ErrorCode{"", tally.EForbidden, "", tally.EUnavailable}
	for i, e := range errs {
		if got := tally.ErrorCodeOf(e); (e == nil) != (want[i] == "") || (e != nil && got != want[i]) {
			t.Errorf("change %d: %v, want code %q", i, e, want[i])
		}
	}
	for _, who := range []struct {
		id      string
		allowed bool
	}{{zhang, false}, {li, false}} {
		if el, _ := a.svc.Eligibility(a.ctx, who.id, "air-travel", time.Time{}); el.Allowed != who.allowed {
			t.Errorf("%s at the airline: allowed %v, want %v", who.id, el.Allowed, who.allowed)
		}
	}
	// The refused change's number is used up: the same again is a
	// duplicate; the one that overtook is due after 3 and 4.
	if errs, err := a.svc.ReceiveAll(exchange, []tally.Change{refused}); err != nil || errs[0] != nil {
		t.Errorf("the refused change again: %v %v, want a duplicate", errs, err)
	}
}

// The publisher takes the outbox in batches larger than a page: each batch
// is marked published in one transaction, which waits its turn behind
// imports, so a page at a time held publishing back to a crawl.
func TestPendingSharesComeInBatchesLargerThanAPage(t *testing.T) {
	f := court(t)
	var file strings.Builder
	file.WriteString(listHeader)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 300 { // two receivers: 600 shares
		p := synth.NthPerson(rng, i)
		file.WriteString(listRow("judgment-defaulters", p.ID, p.Name, fmt.Sprintf("(2026)鲁1082执%d号", i+1)))
	}
	if rep, err := f.svc.ImportListings(f.ctx, strings.NewReader(file.String()), parse.CSV, nil); err != nil || rep.Listed != 300 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	shares, err := f.svc.PendingShares(f.ctx, ledger.MaxShareBatch)
	if err != nil || len(shares) != 600 {
		t.Fatalf("PendingShares(%d) gave %d shares (%v), want all 600", ledger.MaxShareBatch, len(shares), err)
	}
	if more, _ := f.svc.PendingShares(f.ctx, 1<<20); len(more) != 600 {
		t.Errorf("PendingShares beyond the bound gave %d, want the 600 pending", len(more))
	}
}
