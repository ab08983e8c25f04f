package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// newAgreement returns version v of an agreement, not yet stored.
func newAgreement(id string, v int) *tally.Agreement {
	return &tally.Agreement{ID: id, Version: v, Issuer: "court", Receiver: "airline",
		Lists:   []string{"dishonest-judgment-defaulters"},
		Rules:   []string{"city/late-tax", "city/fraud"},
		Purpose: tally.Text{Zh: "拒售机票", En: "refusing air tickets"},
		Basis:   tally.Text{Zh: "限制高消费规定", En: "the restriction on high consumption"},
		Digest:  "digest " + id, Source: []byte{'#', 0, 0xff, byte(v)},
		PublishedAt: t0.Add(time.Duration(v) * time.Hour), PublishedBy: "admin"}
}

// newShare returns a listing shared with receiver about a subject, not
// yet stored.
func newShare(receiver string, subjectID int64, caseNumber string) *tally.Share {
	return &tally.Share{Receiver: receiver, SubjectID: subjectID, CreatedAt: t0,
		Change: tally.Change{Issuer: "court", Receiver: receiver, Agreement: "court-to-" + receiver, AgreementVersion: 1,
			Kind: tally.ShareListing, At: t0, Subject: "370102199001011234", Name: "王 1", List: "defaulters",
			Basis: "最高人民法院关于公布失信被执行人名单信息的若干规定 第一条", Version: 2,
			Entry: &tally.SharedEntry{CaseNumber: caseNumber, Court: "荣成市人民法院", DecidedOn: t0, NoticeServed: t0.Add(time.Hour),
				Grounds: "拒不履行", Term: "2y", Ends: t0.AddDate(2, 0, 0)}}}
}

// sameJSON reports whether a and b marshal alike: changes compared as
// their receivers read them, times as instants with their offsets.
func sameJSON(t testing.TB, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return string(ja) == string(jb)
}

// testAgreements: versions read back as stored, by ID then version,
// whatever order they were published in; a version published twice is
// EConflict and leaves the first.
func testAgreements(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	court2, court1, agency := newAgreement("court-to-airline", 2), newAgreement("court-to-airline", 1), newAgreement("agency-to-city", 1)
	agency.Issuer, agency.Receiver, agency.Lists = "agency", "city", nil
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.AgreementVersions(ctx)
		if err == nil && (got == nil || len(got) != 0) {
			t.Errorf("no agreements: got %#v, want an empty slice", got)
		}
		return err
	})
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, a := range []*tally.Agreement{court2, agency, court1} {
			if err := tx.InsertAgreement(ctx, a); err != nil {
				return err
			}
		}
		return nil
	})
	again := newAgreement("court-to-airline", 2)
	again.Receiver = "railway"
	wantCode(t, "publishing a version twice", s.Update(ctx, func(tx ledger.Tx) error { return tx.InsertAgreement(ctx, again) }), tally.EConflict)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.AgreementVersions(ctx)
		if err != nil {
			return err
		}
		want := []*tally.Agreement{agency, court1, court2}
		if len(got) != len(want) {
			t.Fatalf("got %d versions, want %d", len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.ID != w.ID || g.Version != w.Version || g.Issuer != w.Issuer || g.Receiver != w.Receiver ||
				!slices.Equal(g.Lists, w.Lists) && len(g.Lists)+len(w.Lists) > 0 || !slices.Equal(g.Rules, w.Rules) ||
				g.Purpose != w.Purpose || g.Basis != w.Basis || g.Digest != w.Digest || string(g.Source) != string(w.Source) ||
				!g.PublishedAt.Equal(w.PublishedAt) || g.PublishedBy != w.PublishedBy {
				t.Errorf("version %d: got %+v, want %+v", i, g, *w)
			}
		}
		return nil
	})
}

// testShares: each receiver's shares are numbered 1, 2, 3 ... however
// they interleave; pending shares come by ID, a page at a time; marking
// published keeps the first time and takes them out of the pending; a
// subject's shares come by ID; a share about a missing subject is
// ENotFound.
func testShares(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 2)
	var shares []*tally.Share
	for i := range 3 {
		shares = append(shares, newShare("airline", ids[0], "case-a"+string(rune('1'+i))), newShare("city", ids[i%2], "case-c"+string(rune('1'+i))))
	}
	for _, sh := range shares { // one transaction each: numbering reads what earlier ones committed
		mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertShare(ctx, sh) })
	}
	for i, sh := range shares {
		if want := int64(i/2 + 1); sh.Seq != want || sh.Change.Seq != want {
			t.Errorf("share %d to %s: seq %d, change seq %d, want %d", i, sh.Receiver, sh.Seq, sh.Change.Seq, want)
		}
		if i > 0 && sh.ID <= shares[i-1].ID {
			t.Errorf("share %d: ID %d after %d, want increasing", i, sh.ID, shares[i-1].ID)
		}
	}
	wantCode(t, "a share about a missing subject", s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertShare(ctx, newShare("airline", 999999, "case-x"))
	}), tally.ENotFound)

	pending := func(limit int) []tally.Share {
		t.Helper()
		var got []tally.Share
		mustView(t, s, func(tx ledger.Tx) (err error) { got, err = tx.PendingShares(ctx, limit); return err })
		return got
	}
	got := pending(10)
	if len(got) != len(shares) {
		t.Fatalf("pending: got %d shares, want %d", len(got), len(shares))
	}
	for i, g := range got {
		w := shares[i]
		if g.ID != w.ID || g.Receiver != w.Receiver || g.Seq != w.Seq || g.SubjectID != w.SubjectID ||
			!g.CreatedAt.Equal(w.CreatedAt) || !g.PublishedAt.IsZero() || !sameJSON(t, g.Change, w.Change) {
			t.Errorf("pending %d: got %+v, want %+v", i, g, *w)
		}
	}
	if got := pending(2); len(got) != 2 || got[0].ID != shares[0].ID || got[1].ID != shares[1].ID {
		t.Errorf("pending, 2 at most: got %+v, want the first two", got)
	}

	first, later := t0.Add(time.Minute), t0.Add(time.Hour)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.MarkPublished(ctx, []int64{shares[0].ID, shares[1].ID}, first); err != nil {
			return err
		}
		return tx.MarkPublished(ctx, []int64{shares[1].ID, shares[2].ID, 999999}, later)
	})
	if got := pending(10); len(got) != 3 || got[0].ID != shares[3].ID {
		t.Errorf("pending after publishing three: got %+v, want the last three", got)
	}
	mustUpdate(t, s, func(tx ledger.Tx) error { // numbering goes on after publishing
		sh := newShare("airline", ids[1], "case-a4")
		err := tx.InsertShare(ctx, sh)
		if err == nil && sh.Seq != 4 {
			t.Errorf("fourth share to airline: seq %d, want 4", sh.Seq)
		}
		shares = append(shares, sh)
		return err
	})
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.SharesOf(ctx, ids[0])
		if err != nil {
			return err
		}
		var want []*tally.Share
		for _, sh := range shares {
			if sh.SubjectID == ids[0] {
				want = append(want, sh)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("shares of subject 1: got %d, want %d", len(got), len(want))
		}
		published := map[int64]time.Time{shares[0].ID: first, shares[1].ID: first, shares[2].ID: later}
		for i, g := range got {
			if g.ID != want[i].ID || !sameJSON(t, g.Change, want[i].Change) || !g.PublishedAt.Equal(published[g.ID]) {
				t.Errorf("share %d of subject 1: got %+v, want %+v published at %v", i, g, *want[i], published[g.ID])
			}
		}
		none, err := tx.SharesOf(ctx, 999999)
		if err == nil && (none == nil || len(none) != 0) {
			t.Errorf("shares of a subject without any: got %#v, want an empty slice", none)
		}
		return err
	})
}

// testReceived: how far an issuer's changes are applied starts at 0 and
// is what was set last, issuer by issuer.
func testReceived(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	seq := func(issuer string) int64 {
		t.Helper()
		var n int64
		mustView(t, s, func(tx ledger.Tx) (err error) { n, err = tx.ReceivedSeq(ctx, issuer); return err })
		return n
	}
	if got := seq("court"); got != 0 {
		t.Errorf("before any: got %d, want 0", got)
	}
	for _, n := range []int64{5, 7} {
		mustUpdate(t, s, func(tx ledger.Tx) error { return tx.SetReceivedSeq(ctx, "court", n) })
		if got := seq("court"); got != n {
			t.Errorf("after setting %d: got %d", n, got)
		}
	}
	if got := seq("agency"); got != 0 {
		t.Errorf("another issuer: got %d, want 0", got)
	}
}

// testRejections: refused messages read back as kept, bytes and all,
// newest first, up to the limit.
func testRejections(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	var rs []*tally.Rejection
	for i := range 3 {
		rs = append(rs, &tally.Rejection{At: t0.Add(time.Duration(i) * time.Second), Issuer: "court", Seq: int64(i + 1),
			Reason: "bad signature", Message: []byte{'{', 0, 0xff, byte(i)}})
	}
	rs[2].Issuer, rs[2].Reason = "stranger", "unknown issuer"
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, r := range rs {
			if err := tx.InsertRejection(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Rejections(ctx, 2)
		if err != nil {
			return err
		}
		if len(got) != 2 {
			t.Fatalf("got %d rejections, want 2", len(got))
		}
		for i, w := range []*tally.Rejection{rs[2], rs[1]} {
			g := got[i]
			if g.ID != w.ID || !g.At.Equal(w.At) || g.Issuer != w.Issuer || g.Seq != w.Seq || g.Reason != w.Reason || string(g.Message) != string(w.Message) {
				t.Errorf("rejection %d: got %+v, want %+v", i, g, *w)
			}
		}
		all, err := tx.Rejections(ctx, 10)
		if err == nil && len(all) != 3 {
			t.Errorf("up to 10: got %d rejections, want 3", len(all))
		}
		return err
	})
}

// ExchangeRows stores one row of each exchange table: agreement
// "court-to-airline" v1, a share to "airline" about subjectID (0: a new
// subject) not yet published, the received seq 3 of "court" and a
// rejection. It returns the share's ID.
func ExchangeRows(ctx context.Context, tx ledger.Tx, subjectID int64, at time.Time) (int64, error) {
	a := newAgreement("court-to-airline", 1)
	a.PublishedAt = at
	if err := tx.InsertAgreement(ctx, a); err != nil {
		return 0, err
	}
	if subjectID == 0 {
		sub := &tally.Subject{Kind: tally.Person, Name: "x", Masked: "x", Lookup: []byte("exchange"), Sealed: []byte("s"), Created: at}
		if err := tx.InsertSubject(ctx, sub); err != nil {
			return 0, err
		}
		subjectID = sub.ID
	}
	sh := newShare("airline", subjectID, "case-1")
	sh.CreatedAt = at
	if err := tx.InsertShare(ctx, sh); err != nil {
		return 0, err
	}
	if err := tx.SetReceivedSeq(ctx, "court", 3); err != nil {
		return 0, err
	}
	return sh.ID, tx.InsertRejection(ctx, &tally.Rejection{At: at, Issuer: "court", Seq: 4, Reason: "gap", Message: []byte{0, 0xff}})
}

// MarkShareRaw marks the share of ExchangeRows published, bypassing the
// store: the one change the triggers let through, once.
const MarkShareRaw = `UPDATE shares SET published_at = 5`

// ExchangeTampering lists changes to the rows of ExchangeRows, once its
// share is marked published, that the triggers must refuse even for a
// program that bypasses the store.
var ExchangeTampering = []string{
	`UPDATE agreements SET receiver = 'railway'`,
	`DELETE FROM agreements`,
	MarkShareRaw,
	`UPDATE shares SET published_at = NULL`,
	`UPDATE shares SET change = '{}'`,
	`UPDATE shares SET receiver = 'railway'`,
	`DELETE FROM shares`,
	`UPDATE rejected_shares SET reason = 'fine'`,
	`DELETE FROM rejected_shares`,
}

// ExchangeRowsKept checks, after the tampering of ExchangeTampering was
// refused, that the agreement of ExchangeRows is as stored and its share
// no longer pending.
func ExchangeRowsKept(tb testing.TB, s ledger.Store, share int64) {
	tb.Helper()
	mustView(tb, s, func(tx ledger.Tx) error {
		as, err := tx.AgreementVersions(tb.Context())
		if err != nil {
			return err
		}
		if len(as) != 1 || as[0].Receiver != "airline" {
			tb.Errorf("agreements after refused changes: got %+v", as)
		}
		pending, err := tx.PendingShares(tb.Context(), 10)
		if len(pending) != 0 {
			tb.Errorf("share %d after being marked published: still pending %+v", share, pending)
		}
		return err
	})
}
