package web_test

import (
	"bytes"
	"database/sql"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// upload sends the conduct form at path with a photo, as the check step
// does, and returns the citation the confirmation carries.
func (u *user) upload(path string, fields map[string]string, photo []byte) string {
	u.t.Helper()
	u.get(path)
	m := csrfField.FindStringSubmatch(u.page)
	if m == nil {
		u.t.Fatalf("no form at %s (%d)", path, u.status)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", m[1])
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("photo", "receipt.png")
	_, _ = fw.Write(photo)
	mw.Close()
	req, _ := http.NewRequest("POST", u.s.url+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	u.do(req)
	ref := html2attr(u.page, "photo_ref")
	if !strings.HasPrefix(ref, "sha256:") {
		u.t.Fatalf("upload at %s: %d, no photo_ref", path, u.status)
	}
	return ref
}

// withCity adds the city's rulebook, enrols 张 in it, and makes a
// recorder and a reviewer of the city only.
func (s *site) withCity() string {
	s.t.Helper()
	src, err := examples.Rulebooks.ReadFile("city.yaml")
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.Publish(s.admin, "city.yaml", src); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: "rongcheng-city", Identifier: zhang, Consent: true, How: "signed form"}); err != nil {
		s.t.Fatal(err)
	}
	for _, a := range []ledger.AccountSpec{
		{Name: "rec-city", Role: tally.Recorder, Schemes: []string{"rongcheng-city"}},
		{Name: "rev-city", Role: tally.Reviewer, Schemes: []string{"rongcheng-city"}},
	} {
		a.Password = password
		if _, err := s.svc.CreateAccount(s.admin, a); err != nil {
			s.t.Fatal(err)
		}
	}
	return "rongcheng-city"
}

// On the real server, a photo uploaded for the village cannot be attached
// to a city record nor to a second village record; the file of a record
// is served to its subject, a reviewer of its scheme (logged) and its
// recorder, and to nobody else: another resident gets the same 404 as for
// a record that does not exist, a reviewer of another scheme a 403.
func TestEvidenceBoundOnPages(t *testing.T) {
	s := newSite(t)
	city := s.withCity()
	rec := s.signIn("recorder", "en")
	id := rec.subjectID("张")
	village := "/record/jiakuang-majia/" + id + "/donation"
	photo := tinyPNG(t)
	ref := rec.upload(village, map[string]string{"ref": "web-photo", "f.value": "3000", "date": "2026-11-20"}, photo)

	other := s.signIn("rec-city", "en")
	cityForm := "/record/" + city + "/" + id + "/volunteering.hours"
	other.get(cityForm)
	other.post(cityForm+"/confirm", url.Values{"ref": {"web-steal"}, "f.hours": {"8"}, "date": {"2026-11-20"}, "photo_ref": {ref}})
	if other.status != http.StatusUnprocessableEntity {
		t.Errorf("a city recorder attaches the village's photo: %d, want 422", other.status)
	}
	other.has("the refusal names the file", "was not uploaded by rec-city for scheme rongcheng-city")
	if h, err := s.svc.History(s.admin, city, zhang, 0, 10); err != nil || len(h) != 0 {
		t.Fatalf("city history: %+v, %v; want nothing written", h, err)
	}

	rec.post(village+"/confirm", url.Values{"ref": {"web-photo"}, "f.value": {"3000"}, "date": {"2026-11-20"}, "photo_ref": {ref}})
	h := s.history(zhang)
	if len(h) != 1 || !strings.HasPrefix(h[0].Evidence, ref) {
		t.Fatalf("history: %+v, want one record citing the photo", h)
	}
	liID := rec.subjectID("李")
	again := "/record/jiakuang-majia/" + liID + "/donation"
	rec.get(again)
	rec.post(again+"/confirm", url.Values{"ref": {"web-again"}, "f.value": {"3000"}, "date": {"2026-11-20"}, "photo_ref": {ref}})
	rec.has("a photo already attached", "is already attached to record")
	if n := len(s.history(li)); n != 0 {
		t.Fatalf("a second record citing the same upload was written")
	}

	file := "/evidence/jiakuang-majia/" + itoa(h[0].ID)
	for _, name := range []string{"zhang", "reviewer", "recorder", "admin"} {
		u := s.signIn(name, "en")
		u.get(file)
		if u.status != 200 || u.page != string(photo) {
			t.Errorf("%s opens the photo: %d, %d bytes; want 200 and the file", name, u.status, len(u.page))
		}
	}
	log, err := s.svc.AccessLog(s.admin, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	logged := false
	for _, e := range log {
		logged = logged || (e.Actor == "reviewer" && e.Action == "evidence" && e.Purpose == "review")
	}
	if !logged {
		t.Errorf("the reviewer's read is not logged with its purpose: %+v", log)
	}

	li := s.signIn("li", "en")
	li.get(file)
	guessed, guessedPage := li.status, li.page
	li.get("/evidence/jiakuang-majia/" + itoa(h[0].ID+1000))
	if guessed != 404 || li.status != 404 || strings.Contains(guessedPage, string(photo)) {
		t.Errorf("another resident: %d for the record, %d for a missing one; want 404 for both", guessed, li.status)
	}
	for _, name := range []string{"rev-city", "rec-city"} {
		u := s.signIn(name, "en")
		u.get(file)
		if u.status != 403 {
			t.Errorf("%s, of another scheme, opens the photo: %d, want 403", name, u.status)
		}
	}
}

// A file whose stored bytes were changed behind the server's back is not
// served: the read fails (500) and the forged bytes never leave.
func TestEvidenceTamperedOnPages(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "en")
	id := rec.subjectID("张")
	form := "/record/jiakuang-majia/" + id + "/donation"
	ref := rec.upload(form, map[string]string{"ref": "web-photo", "f.value": "3000", "date": "2026-11-20"}, tinyPNG(t))
	rec.post(form+"/confirm", url.Values{"ref": {"web-photo"}, "f.value": {"3000"}, "date": {"2026-11-20"}, "photo_ref": {ref}})
	h := s.history(zhang)
	if len(h) != 1 {
		t.Fatalf("history: %+v", h)
	}
	raw, err := sql.Open("sqlite", s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER evidence_no_update`, `UPDATE evidence SET data = CAST('forged-bytes' AS BLOB)`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	me := s.signIn("zhang", "en")
	me.get("/evidence/jiakuang-majia/" + itoa(h[0].ID))
	if me.status != 500 || strings.Contains(me.page, "forged-bytes") {
		t.Errorf("the forged file: %d, want 500 without the bytes", me.status)
	}
}
