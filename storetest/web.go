package storetest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// newAccount returns a recorder account named name with a password set
// when it was created, not yet stored.
func newAccount(name string) *tally.Account {
	return &tally.Account{
		Name: name, Role: tally.Recorder, Schemes: []string{scheme}, Rules: []string{"volunteer", "donation"},
		Created: t0, CreatedBy: "admin",
		PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$" + name, PasswordSet: t0,
	}
}

// sessionHash is the Hash of fixture session n.
func sessionHash(n int) []byte {
	h := sha256.Sum256(fmt.Appendf(nil, "cookie %d", n))
	return h[:]
}

// checkAccount reports each field of got that differs from want; times
// are compared as instants.
func checkAccount(t testing.TB, got, want *tally.Account) {
	t.Helper()
	field := func(name string, g, w any) {
		t.Helper()
		if !reflect.DeepEqual(g, w) {
			t.Errorf("account %s: %s: got %v, want %v", want.Name, name, g, w)
		}
	}
	instant := func(name string, g, w time.Time) {
		t.Helper()
		if !g.Equal(w) || g.IsZero() != w.IsZero() {
			t.Errorf("account %s: %s: got %v, want %v", want.Name, name, g, w)
		}
	}
	field("ID", got.ID, want.ID)
	field("Name", got.Name, want.Name)
	field("Role", got.Role, want.Role)
	field("Schemes", got.Schemes, want.Schemes)
	field("Rules", got.Rules, want.Rules)
	field("Categories", got.Categories, want.Categories)
	field("Lookup", got.Lookup, want.Lookup)
	instant("Created", got.Created, want.Created)
	field("CreatedBy", got.CreatedBy, want.CreatedBy)
	field("PasswordHash", got.PasswordHash, want.PasswordHash)
	instant("PasswordSet", got.PasswordSet, want.PasswordSet)
	instant("Disabled", got.Disabled, want.Disabled)
}

// testAccounts checks that accounts round-trip with their scopes, that a
// name is unique, that the latest password (by instant, then insertion)
// is the one read, that a disablement keeps its first instant, that
// listing pages by ID, and ENotFound for what does not exist.
func testAccounts(t *testing.T, s ledger.Store) {
	a, b := newAccount("recorder-wang"), newAccount("张三")
	b.Role, b.Schemes, b.Rules, b.Categories = tally.SubjectR, nil, nil, []string{"utilities"}
	b.Lookup, b.Created, b.PasswordSet = lookupOf(3), t0.Add(time.Microsecond).In(lima), t0.Add(time.Minute).In(time.UTC)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertAccount(t.Context(), a); err != nil {
			return err
		}
		return tx.InsertAccount(t.Context(), b)
	})
	if a.ID <= 0 || b.ID <= a.ID {
		t.Fatalf("account IDs %d, %d: want positive and increasing", a.ID, b.ID)
	}
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		dup := newAccount("recorder-wang")
		dup.Role = tally.Admin
		return tx.InsertAccount(t.Context(), dup)
	})
	wantCode(t, "InsertAccount with a used name", err, tally.EConflict)

	mustView(t, s, func(tx ledger.Tx) error {
		for _, want := range []*tally.Account{a, b} {
			got, err := tx.AccountByName(t.Context(), want.Name)
			if err != nil {
				return err
			}
			checkAccount(t, got, want)
			got, err = tx.AccountByID(t.Context(), want.ID)
			if err != nil {
				return err
			}
			checkAccount(t, got, want)
		}
		_, err := tx.AccountByName(t.Context(), "nobody")
		wantCode(t, "AccountByName of an unknown name", err, tally.ENotFound)
		_, err = tx.AccountByName(t.Context(), "RECORDER-WANG")
		wantCode(t, "AccountByName in other case", err, tally.ENotFound)
		_, err = tx.AccountByID(t.Context(), b.ID+100)
		wantCode(t, "AccountByID of an unknown ID", err, tally.ENotFound)
		return nil
	})

	// The latest password wins: by instant, and at one instant the last set.
	later := t0.Add(2 * time.Hour)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, p := range []struct {
			hash string
			at   time.Time
		}{{"p2", later}, {"older", t0.Add(time.Hour)}, {"p3", later.In(lima)}} {
			if err := tx.SetPassword(t.Context(), a.ID, p.hash, p.at, "admin"); err != nil {
				return err
			}
		}
		return nil
	})
	err = s.Update(t.Context(), func(tx ledger.Tx) error { return tx.SetPassword(t.Context(), b.ID+100, "x", t0, "admin") })
	wantCode(t, "SetPassword of an unknown account", err, tally.ENotFound)
	a.PasswordHash, a.PasswordSet = "p3", later

	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.DisableAccount(t.Context(), b.ID, t0.Add(3*time.Hour), "admin") })
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.DisableAccount(t.Context(), b.ID, t0.Add(4*time.Hour), "admin") })
	err = s.Update(t.Context(), func(tx ledger.Tx) error { return tx.DisableAccount(t.Context(), b.ID+100, t0, "admin") })
	wantCode(t, "DisableAccount of an unknown account", err, tally.ENotFound)
	b.Disabled = t0.Add(3 * time.Hour)

	mustView(t, s, func(tx ledger.Tx) error {
		all, err := tx.Accounts(t.Context(), 0, 10)
		if err != nil {
			return err
		}
		if len(all) != 2 {
			t.Fatalf("Accounts = %+v, want 2 accounts", all)
		}
		checkAccount(t, &all[0], a)
		checkAccount(t, &all[1], b)
		for _, p := range []struct {
			after int64
			limit int
			want  []int64
		}{{0, 1, []int64{a.ID}}, {a.ID, 10, []int64{b.ID}}, {b.ID, 10, nil}, {0, 0, nil}} {
			page, err := tx.Accounts(t.Context(), p.after, p.limit)
			if err != nil {
				return err
			}
			var ids []int64
			for _, acc := range page {
				ids = append(ids, acc.ID)
			}
			if page == nil || !reflect.DeepEqual(ids, p.want) {
				t.Errorf("Accounts(%d, %d) = %v, want IDs %v", p.after, p.limit, ids, p.want)
			}
		}
		return nil
	})
}

// testSessions checks that a session round-trips, that its hash is
// unique, that ending keeps the first instant, and ENotFound for unknown
// sessions and accounts.
func testSessions(t *testing.T, s ledger.Store) {
	a := newAccount("recorder-wang")
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertAccount(t.Context(), a) })
	want := &tally.Session{Hash: sessionHash(1), AccountID: a.ID, CSRF: "csrf-1", Created: t0.In(lima), Expires: t0.Add(12 * time.Hour)}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertSession(t.Context(), want) })
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertSession(t.Context(), &tally.Session{Hash: sessionHash(1), AccountID: a.ID, CSRF: "other", Created: t0, Expires: t0})
	})
	wantCode(t, "InsertSession with a stored hash", err, tally.EConflict)
	err = s.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertSession(t.Context(), &tally.Session{Hash: sessionHash(2), AccountID: a.ID + 100, Created: t0, Expires: t0})
	})
	wantCode(t, "InsertSession for an unknown account", err, tally.ENotFound)

	check := func(ended time.Time) {
		t.Helper()
		mustView(t, s, func(tx ledger.Tx) error {
			got, err := tx.SessionByHash(t.Context(), sessionHash(1))
			if err != nil {
				return err
			}
			if !bytes.Equal(got.Hash, want.Hash) || got.AccountID != a.ID || got.CSRF != "csrf-1" ||
				!got.Created.Equal(want.Created) || !got.Expires.Equal(want.Expires) ||
				!got.Ended.Equal(ended) || got.Ended.IsZero() != ended.IsZero() {
				t.Errorf("SessionByHash = %+v, want %+v ended at %v", got, want, ended)
			}
			_, err = tx.SessionByHash(t.Context(), sessionHash(2))
			wantCode(t, "SessionByHash of an unknown hash", err, tally.ENotFound)
			return nil
		})
	}
	check(time.Time{})
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.EndSession(t.Context(), sessionHash(1), t0.Add(time.Hour)) })
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.EndSession(t.Context(), sessionHash(1), t0.Add(2*time.Hour)) })
	err = s.Update(t.Context(), func(tx ledger.Tx) error { return tx.EndSession(t.Context(), sessionHash(2), t0) })
	wantCode(t, "EndSession of an unknown session", err, tally.ENotFound)
	check(t0.Add(time.Hour))
}

// testEvidence checks that a file round-trips byte for byte, once per hash.
func testEvidence(t *testing.T, s ledger.Store) {
	data := []byte{0xff, 0xd8, 0xff, 0, 0, '\\', 0x80, 'J', 'F', 'I', 'F'}
	sum := sha256.Sum256(data)
	want := &tally.Evidence{Hash: hex.EncodeToString(sum[:]), Type: "image/jpeg", Data: data, UploadedAt: t0.In(lima), UploadedBy: "recorder-wang"}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertEvidence(t.Context(), want) })
	again := *want
	again.Type, again.UploadedBy = "image/png", "someone else"
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertEvidence(t.Context(), &again) })
	wantCode(t, "InsertEvidence with a stored hash", err, tally.EConflict)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.EvidenceByHash(t.Context(), want.Hash)
		if err != nil {
			return err
		}
		if got.Hash != want.Hash || got.Type != want.Type || !bytes.Equal(got.Data, data) ||
			!got.UploadedAt.Equal(want.UploadedAt) || got.UploadedBy != want.UploadedBy {
			t.Errorf("EvidenceByHash = %+v, want %+v", got, want)
		}
		_, err = tx.EvidenceByHash(t.Context(), hex.EncodeToString(make([]byte, 32)))
		wantCode(t, "EvidenceByHash of an unknown hash", err, tally.ENotFound)
		return nil
	})
}

// testEvidenceItems checks that uploads of one file are items of their
// own, found per scheme and uploader, each bound to one record once, and
// that a refused binding leaves the transaction usable.
func testEvidenceItems(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	data := []byte("%PDF-1.4 a receipt")
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	ids := addSubjects(t, s, 2)
	enrol(t, s, scheme, ids...)
	r1, r2 := newRecord(scheme, ids[0], "volunteer", "ev/1", t0, 5), newRecord(scheme, ids[1], "volunteer", "ev/2", t0, 5)
	insertRecords(t, s, r1, r2)
	first := &tally.EvidenceItem{Hash: hash, Scheme: scheme, UploadedAt: t0.In(lima), UploadedBy: "recorder-wang"}
	second := *first
	mustUpdate(t, s, func(tx ledger.Tx) error {
		err := tx.InsertEvidenceItem(ctx, &tally.EvidenceItem{Hash: hash, Scheme: scheme, UploadedAt: t0, UploadedBy: "x"})
		wantCode(t, "InsertEvidenceItem before its file", err, tally.ENotFound)
		if err := tx.InsertEvidence(ctx, &tally.Evidence{Hash: hash, Type: "application/pdf", Data: data, UploadedAt: t0, UploadedBy: "recorder-wang"}); err != nil {
			return err
		}
		if err := tx.InsertEvidenceItem(ctx, first); err != nil {
			return err
		}
		return tx.InsertEvidenceItem(ctx, &second)
	})
	if first.ID == 0 || second.ID == first.ID {
		t.Fatalf("item IDs %d and %d, want two different ones", first.ID, second.ID)
	}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		got, err := tx.UploadedEvidence(ctx, scheme, hash, "recorder-wang")
		if err != nil {
			return err
		}
		if got.ID != first.ID || got.RecordID != 0 || got.Scheme != scheme || got.Hash != hash || !got.UploadedAt.Equal(t0) || got.UploadedBy != "recorder-wang" {
			t.Errorf("UploadedEvidence = %+v, want the first item, unbound", got)
		}
		for _, miss := range [][2]string{{otherScheme, "recorder-wang"}, {scheme, "someone else"}} {
			_, err := tx.UploadedEvidence(ctx, miss[0], hash, miss[1])
			wantCode(t, "UploadedEvidence in "+miss[0]+" by "+miss[1], err, tally.ENotFound)
		}
		_, err = tx.EvidenceOfRecord(ctx, r1.ID)
		wantCode(t, "EvidenceOfRecord before a binding", err, tally.ENotFound)
		if err := tx.BindEvidence(ctx, first.ID, r1.ID); err != nil {
			return err
		}
		wantCode(t, "BindEvidence of a bound item", tx.BindEvidence(ctx, first.ID, r2.ID), tally.EConflict)
		wantCode(t, "BindEvidence to a bound record", tx.BindEvidence(ctx, second.ID, r1.ID), tally.EConflict)
		wantCode(t, "BindEvidence of an unknown item", tx.BindEvidence(ctx, second.ID+100, r2.ID), tally.ENotFound)
		got, err = tx.UploadedEvidence(ctx, scheme, hash, "recorder-wang")
		if err != nil || got.ID != second.ID {
			t.Errorf("UploadedEvidence after a binding = %+v, %v; want the second item", got, err)
		}
		return tx.BindEvidence(ctx, second.ID, r2.ID)
	})
	mustView(t, s, func(tx ledger.Tx) error {
		for _, c := range []struct {
			r  *tally.Record
			it *tally.EvidenceItem
		}{{r1, first}, {r2, &second}} {
			got, err := tx.EvidenceOfRecord(ctx, c.r.ID)
			if err != nil || got.ID != c.it.ID || got.RecordID != c.r.ID || got.Hash != hash {
				t.Errorf("EvidenceOfRecord(%d) = %+v, %v; want item %d", c.r.ID, got, err, c.it.ID)
			}
		}
		got, err := tx.UploadedEvidence(ctx, scheme, hash, "recorder-wang")
		if err != nil || got.RecordID == 0 {
			t.Errorf("UploadedEvidence with every item bound = %+v, %v; want a bound one", got, err)
		}
		return nil
	})
}

// testWebConflictsKeepTx checks that the conflicts and missing rows of
// the web tables fail only their own statement: the same transaction goes
// on and commits.
func testWebConflictsKeepTx(t *testing.T, s ledger.Store) {
	a := newAccount("recorder-wang")
	ev := &tally.Evidence{Hash: "00", Type: "text/plain", Data: []byte("x"), UploadedAt: t0, UploadedBy: "clerk"}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertAccount(t.Context(), a); err != nil {
			return err
		}
		if err := tx.InsertEvidence(t.Context(), ev); err != nil {
			return err
		}
		return tx.InsertSession(t.Context(), &tally.Session{Hash: sessionHash(1), AccountID: a.ID, Created: t0, Expires: t0})
	})
	missing := a.ID + 100
	mustUpdate(t, s, func(tx ledger.Tx) error {
		ctx := t.Context()
		wantCode(t, "InsertAccount with a used name", tx.InsertAccount(ctx, newAccount("recorder-wang")), tally.EConflict)
		wantCode(t, "InsertSession with a stored hash",
			tx.InsertSession(ctx, &tally.Session{Hash: sessionHash(1), AccountID: a.ID, Created: t0, Expires: t0}), tally.EConflict)
		wantCode(t, "InsertEvidence with a stored hash", tx.InsertEvidence(ctx, ev), tally.EConflict)
		wantCode(t, "SetPassword of an unknown account", tx.SetPassword(ctx, missing, "x", t0, "admin"), tally.ENotFound)
		wantCode(t, "DisableAccount of an unknown account", tx.DisableAccount(ctx, missing, t0, "admin"), tally.ENotFound)
		wantCode(t, "EndSession of an unknown session", tx.EndSession(ctx, sessionHash(2), t0), tally.ENotFound)
		wantCode(t, "InsertSession for an unknown account",
			tx.InsertSession(ctx, &tally.Session{Hash: sessionHash(3), AccountID: missing, Created: t0, Expires: t0}), tally.ENotFound)
		return tx.InsertAccount(ctx, newAccount("after"))
	})
	mustView(t, s, func(tx ledger.Tx) error {
		if _, err := tx.AccountByName(t.Context(), "after"); err != nil {
			t.Errorf("account written after conflicts: %v", err)
		}
		return nil
	})
}
