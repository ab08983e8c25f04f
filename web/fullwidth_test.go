package web_test

import (
	"net/url"
	"testing"
)

// Numbers and identifiers typed with a Chinese input method (full-width
// digits, Chinese punctuation) are taken as their ASCII forms.
func TestFormsTakeFullWidth(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "zh")
	id := rec.subjectID("张")
	form := "/record/jiakuang-majia/" + id + "/labour.volunteer"
	rec.get(form)
	typed := url.Values{"f.hours": {"８"}, "date": {"２０２６－１１－２６"}, "note": {"第１２页"}}
	rec.post(form, typed)
	if rec.status != 200 {
		t.Fatalf("check with full-width hours: %d, want the confirmation", rec.status)
	}
	rec.has("confirmation", `id="preview-points">+2<`)
	rec.post(form+"/confirm", typed)
	if h := s.history(zhang); len(h) != 1 || h[0].Facts["hours"] != 8.0 || h[0].Evidence != "第１２页" {
		t.Fatalf("history: %+v, want one record of 8 hours with the note as written", h)
	}

	desk := s.signIn("admin", "zh")
	desk.get("/kiosk/codes")
	desk.post("/kiosk/codes", url.Values{"id": {" ３６０４２６ １９９１０１０１００７１ "}})
	if kioskCode.FindStringSubmatch(desk.page) == nil {
		t.Errorf("a kiosk code for a full-width ID: %d, want a code\n%s", desk.status, desk.page)
	}
}
