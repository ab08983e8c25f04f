package ledger_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testIdentifiers returns the valid identifiers of the project's shared
// test data.
func testIdentifiers(t *testing.T) (residents, orgs []string) {
	t.Helper()
	src, err := os.ReadFile("/work/shared/data/identifiers.json")
	if err != nil {
		// The same identifiers, for a checkout without the shared data.
		return []string{"360426199101010071", "34052419800101001X", "11010519491231002X"}, []string{"91110000600037341L", "91310110666007217T"}
	}
	var d struct {
		ResidentID struct{ Valid []string } `json:"resident_id"`
		USCC       struct{ Valid []string }
	}
	if err := json.Unmarshal(src, &d); err != nil {
		t.Fatal(err)
	}
	return d.ResidentID.Valid, d.USCC.Valid
}

// forms returns the ways a secret could show in bytes: as is, and its
// SHA-256 and the given keyed hash, raw, in hex and in base64.
func forms(secret string, keyed []byte) [][]byte {
	sum := sha256.Sum256([]byte(secret))
	out := [][]byte{[]byte(secret)}
	for _, h := range [][]byte{sum[:], keyed} {
		if len(h) == 0 {
			continue
		}
		out = append(out, h, []byte(hex.EncodeToString(h)), []byte(base64.StdEncoding.EncodeToString(h)),
			[]byte(base64.RawURLEncoding.EncodeToString(h)))
	}
	return out
}

// TestPublicLogHoldsNothingPersonal: the checkpoint, every tile and the
// inclusion and consistency proofs a reader gets, over a log that holds
// every subject's own leaf, hold no identifier, name, masked or sealed
// identifier or salt of any subject, nor an unsalted (or the store's
// keyed) hash of an identifier.
func TestPublicLogHoldsNothingPersonal(t *testing.T) {
	f := newFixture(t)
	f.withLogSigner()
	f.publishExample("city.yaml")
	residents, orgs := testIdentifiers(t)
	names := map[string]string{}
	for i, id := range residents {
		names[id] = fmt.Sprintf("居民%c", '甲'+rune(i))
		f.person(city, id, names[id])
		f.record(city, id, "finance.loan-default", "2026-11-01", "loan/"+id)
	}
	for i, id := range orgs {
		names[id] = fmt.Sprintf("商户%c", '甲'+rune(i))
		if _, err := f.svc.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Organisation, Identifier: id, Name: names[id]}); err != nil {
			t.Fatal(err)
		}
	}
	c, err := f.svc.SignLogCheckpoint(f.ctx)
	if err != nil {
		t.Fatal(err)
	}

	public := ledger.WithActor(t.Context(), nil)
	var served bytes.Buffer
	got, err := f.svc.LogCheckpoint(public)
	if err != nil {
		t.Fatal(err)
	}
	served.Write(got.Note)
	for _, path := range []string{fmt.Sprintf("tile/0/000.p/%d", c.Size), fmt.Sprintf("tile/entries/000.p/%d", c.Size)} {
		b, err := f.svc.LogTile(public, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		served.Write(b)
	}
	var leaves []ledger.LogLeaf
	if err := f.db.View(f.ctx, func(tx ledger.Tx) (err error) { leaves, err = tx.LogLeaves(f.ctx, 0, int(c.Size)); return err }); err != nil {
		t.Fatal(err)
	}
	for _, l := range leaves {
		in, err := f.svc.LogInclusion(public, l.Kind, l.Ref, 0)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(in)
		served.Write(b)
	}
	p, err := f.svc.LogConsistency(public, 1, c.Size)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	served.Write(b)

	if served.Len() < 1000 || len(leaves) < len(residents)+1 {
		t.Fatalf("served %d bytes of %d leaves: too little to search", served.Len(), len(leaves))
	}
	subjects := 0
	for _, l := range leaves {
		if l.Kind == ledger.LogSubject {
			subjects++
		}
	}
	if subjects != len(residents)+len(orgs) {
		t.Fatalf("%d subjects are in the log, want %d: each commits to its identifier's hashes and its name", subjects, len(residents)+len(orgs))
	}
	for _, id := range append(append([]string{}, residents...), orgs...) {
		var subj *tally.Subject
		if err := f.db.View(f.ctx, func(tx ledger.Tx) (err error) { subj, err = tx.SubjectByLookup(f.ctx, f.vault.Lookup(id)); return err }); err != nil {
			t.Fatal(err)
		}
		stored := [][]byte{[]byte(names[id]), []byte(subj.Masked), subj.Sealed, []byte(base64.StdEncoding.EncodeToString(subj.Sealed))}
		for _, form := range append(forms(id, f.vault.Lookup(id)), stored...) {
			if bytes.Contains(served.Bytes(), form) {
				t.Errorf("the public log holds %q (a form of %s or its name)", form, id)
			}
		}
	}
	for _, l := range leaves {
		if bytes.Contains(served.Bytes(), l.Salt[:]) || bytes.Contains(served.Bytes(), []byte(base64.StdEncoding.EncodeToString(l.Salt[:]))) {
			t.Errorf("the public log holds the salt of leaf %d", l.Index)
		}
	}
}
