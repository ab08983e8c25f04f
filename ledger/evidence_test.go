package ledger_test

import (
	"bytes"
	"context"
	"database/sql"
	"image"
	"image/color"
	"image/png"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// photo is a real 2×2 PNG; shade makes a different file.
func photo(t *testing.T, shade uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{shade, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// evidenceFixture is the village and the city, 张 enrolled in both and 李
// in the village, and a recorder of both schemes.
func evidenceFixture(t *testing.T) (*fixture, context.Context) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.publishExample("city.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	f.enrol("rongcheng-city", zhang, true)
	f.person("jiakuang-majia", li, "李四")
	both := as(tally.Recorder, "rec-both", func(a *tally.Actor) { a.Schemes = []string{"jiakuang-majia", "rongcheng-city"} })
	return f, both
}

// cite is a record of volunteer hours citing evidence.
func cite(scheme, id, rule, ref, evidence string) ledger.Conduct {
	at := now.AddDate(0, 0, -1)
	return ledger.Conduct{Scheme: scheme, Identifier: id, Rule: rule, At: at, Ref: ref, FactArgs: []string{"hours=8"}, Evidence: evidence}
}

// A file uploaded for one scheme cannot be cited by a record of another,
// whoever records it, and a file bound to one record cannot be cited by a
// second one; a refused record is not written.
func TestEvidenceBoundToSchemeAndRecord(t *testing.T) {
	f, both := evidenceFixture(t)
	village, err := f.svc.SaveEvidence(both, "jiakuang-majia", photo(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Record(both, cite("rongcheng-city", zhang, "volunteering.hours", "c/1", village))
	wantCode(t, err, tally.EForbidden, "evidence")
	cityOnly := as(tally.Recorder, "rec-city", func(a *tally.Actor) { a.Schemes = []string{"rongcheng-city"} })
	_, err = f.svc.Record(cityOnly, cite("rongcheng-city", zhang, "volunteering.hours", "c/2", village+" the sheet"))
	wantCode(t, err, tally.EForbidden, "evidence")
	if n := len(f.history("rongcheng-city", zhang)); n != 0 {
		t.Fatalf("refused records were written: %d in the city", n)
	}
	// Someone else in the same scheme cannot cite another's upload either.
	villager := as(tally.Recorder, "rec-village", func(a *tally.Actor) { a.Schemes = []string{"jiakuang-majia"} })
	_, err = f.svc.Record(villager, cite("jiakuang-majia", zhang, "labour.volunteer", "v/0", village))
	wantCode(t, err, tally.EForbidden, "evidence")

	first, err := f.svc.Record(both, cite("jiakuang-majia", zhang, "labour.volunteer", "v/1", village))
	if err != nil {
		t.Fatal(err)
	}
	// The same ref again replays, citing the same bound file.
	if again, err := f.svc.Record(both, cite("jiakuang-majia", zhang, "labour.volunteer", "v/1", village)); err != nil || !again.Replayed {
		t.Errorf("replay: %+v, %v; want the first record", again, err)
	}
	_, err = f.svc.Record(both, cite("jiakuang-majia", li, "labour.volunteer", "v/2", village))
	wantCode(t, err, tally.EConflict, "already")
	if n := len(f.history("jiakuang-majia", li)); n != 0 {
		t.Fatalf("a second record citing a bound file was written")
	}
	// Uploaded again, the same file is a new item and may be cited once more.
	again, err := f.svc.SaveEvidence(both, "jiakuang-majia", photo(t, 1))
	if err != nil || again != village {
		t.Fatalf("SaveEvidence again = %q, %v; want %q", again, err, village)
	}
	second, err := f.svc.Record(both, cite("jiakuang-majia", li, "labour.volunteer", "v/2", again))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []tally.Record{first.Record, second.Record} {
		if _, err := f.svc.EvidenceFile(f.ctx, "jiakuang-majia", r.ID); err != nil {
			t.Errorf("record %d: %v", r.ID, err)
		}
	}
	// Citing an unknown or malformed file is refused.
	_, err = f.svc.Record(both, cite("jiakuang-majia", zhang, "labour.volunteer", "v/3", "sha256:"+strings.Repeat("ab", 32)))
	wantCode(t, err, tally.EForbidden, "evidence")
	_, err = f.svc.Record(both, cite("jiakuang-majia", zhang, "labour.volunteer", "v/4", "sha256:zz"))
	wantCode(t, err, tally.EInvalid, "evidence")
}

// A record's file is served to its subject, to reviewers and admins of
// its scheme (with the read logged under their purpose) and to the
// recorder who recorded it, and to nobody else; another resident cannot
// tell it from a record that does not exist.
func TestEvidenceReadThroughRecord(t *testing.T) {
	f, both := evidenceFixture(t)
	file := photo(t, 2)
	c, err := f.svc.SaveEvidence(both, "jiakuang-majia", file)
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.Record(both, cite("jiakuang-majia", zhang, "labour.volunteer", "v/1", c))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Record.ID
	village := func(a *tally.Actor) { a.Schemes = []string{"jiakuang-majia"} }
	city := func(a *tally.Actor) { a.Schemes = []string{"rongcheng-city"} }
	for _, who := range []struct {
		name string
		ctx  context.Context
	}{
		{"the subject", f.subjectCtx(zhang)},
		{"the recorder who recorded it", both},
		{"a reviewer of the scheme", as(tally.Reviewer, "rev-village", village)},
		{"an admin", f.ctx},
	} {
		got, err := f.svc.EvidenceFile(who.ctx, "jiakuang-majia", id)
		if err != nil || !bytes.Equal(got.Data, file) || got.Type != "image/png" {
			t.Errorf("%s: %v, want the file", who.name, err)
		}
	}
	_, err = f.svc.EvidenceFile(ledger.WithActor(context.Background(), &tally.Actor{Name: "rev-village", Role: tally.Reviewer, Schemes: []string{"jiakuang-majia"}}), "jiakuang-majia", id)
	wantCode(t, err, tally.EInvalid, "purpose")
	log, err := f.svc.AccessLog(f.subjectCtx(zhang), zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	logged := false
	for _, e := range log {
		logged = logged || (e.Actor == "rev-village" && e.Action == "evidence" && e.Purpose == "test of rev-village")
	}
	if !logged {
		t.Errorf("the reviewer's read is not in the access log: %+v", log)
	}

	_, err = f.svc.EvidenceFile(as(tally.Reviewer, "rev-city", city), "jiakuang-majia", id)
	wantCode(t, err, tally.EForbidden, "")
	_, err = f.svc.EvidenceFile(as(tally.Recorder, "rec-city", city), "jiakuang-majia", id)
	wantCode(t, err, tally.EForbidden, "")
	// Staff of the scheme who may not read this record learn no more than
	// a resident does.
	_, err = f.svc.EvidenceFile(as(tally.Recorder, "rec-village", village), "jiakuang-majia", id)
	wantCode(t, err, tally.ENotFound, "")
	// A role that may never read evidence is refused before any lookup.
	_, err = f.svc.EvidenceFile(as(tally.Verifier, "bank", village), "jiakuang-majia", id)
	wantCode(t, err, tally.EForbidden, "")

	other, missing := f.subjectCtx(li), id+1000
	_, errOther := f.svc.EvidenceFile(other, "jiakuang-majia", id)
	_, errMissing := f.svc.EvidenceFile(other, "jiakuang-majia", missing)
	wantCode(t, errOther, tally.ENotFound, "")
	wantCode(t, errMissing, tally.ENotFound, "")
	if errOther != nil && errMissing != nil && strings.ReplaceAll(errOther.Error(), strconv.FormatInt(id, 10), "N") != strings.ReplaceAll(errMissing.Error(), strconv.FormatInt(missing, 10), "N") {
		t.Errorf("another's record and a missing one answer differently: %q and %q", errOther, errMissing)
	}
}

// Bytes changed in the store behind the ledger's back are not served: the
// read fails with an integrity error.
func TestEvidenceTamperedIsRefused(t *testing.T) {
	f, both := evidenceFixture(t)
	c, err := f.svc.SaveEvidence(both, "jiakuang-majia", photo(t, 3))
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.svc.Record(both, cite("jiakuang-majia", zhang, "labour.volunteer", "v/1", c))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", f.path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER evidence_no_update`, `UPDATE evidence SET data = CAST('forged' AS BLOB)`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	got, err := f.svc.EvidenceFile(f.subjectCtx(zhang), "jiakuang-majia", r.Record.ID)
	wantCode(t, err, tally.EInternal, "integrity")
	if got != nil {
		t.Errorf("the forged file was served: %q", got.Data)
	}
}

// The corrected record of an objection decision carries the file of the
// record it corrects, readable through the correction.
func TestEvidenceFollowsCorrection(t *testing.T) {
	f, both := evidenceFixture(t)
	file := photo(t, 4)
	c, err := f.svc.SaveEvidence(both, "rongcheng-city", file)
	if err != nil {
		t.Fatal(err)
	}
	card := cite("rongcheng-city", zhang, "finance.card-arrears", "card/1", c+" bank letter")
	card.FactArgs = []string{"cycles=3"}
	r, err := f.svc.Record(both, card)
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.Object(f.ctx, ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: zhang, Record: r.Record.ID, Grounds: "two cycles only"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Reasons: "the bank shows 2 cycles", Facts: []string{"cycles=2"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{r.Record.ID, d.Decision.Correction} {
		got, err := f.svc.EvidenceFile(f.subjectCtx(zhang), "rongcheng-city", id)
		if err != nil || !bytes.Equal(got.Data, file) {
			t.Errorf("record %d: %v, want the file", id, err)
		}
	}
}
