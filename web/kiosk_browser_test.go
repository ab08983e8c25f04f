package web_test

import "testing"

// At the kiosk, on a 360×740 screen: the resident types their ID number
// and code, sees whose session it is by the masked name, the link to the
// report and when the session ends, all on the screen in readable text;
// "end session" leaves an empty kiosk; the way home is the kiosk itself
// (its pages lead nowhere else). Screenshots are left in
// artifacts/screenshots/phone-kiosk*.png.
func TestBrowserKioskOnPhone(t *testing.T) {
	s := kioskSite(t, 0)
	code := deskCode(t, s, zhang)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.open("/kiosk", 200)
	for _, m := range b.phoneMisfits() {
		t.Errorf("the kiosk form: %s", m)
	}
	b.checkReadable("/kiosk")
	b.shoot("phone-kiosk")
	b.typeInto("#id", zhang)
	b.typeInto("#code", code)
	b.press(`main form[action="/kiosk"] button[type=submit]`, 200)
	if got, want := b.text("#kiosk-whose"), catalogueText(t, "zh", "kiosk.whose", "张*"); got != want {
		t.Errorf("the session page says %q, want %q", got, want)
	}
	if got, want := b.text("#kiosk-ends"), catalogueText(t, "zh", "kiosk.ends", 60); got != want {
		t.Errorf("the session page says %q, want %q", got, want)
	}
	if got, _ := b.attr(`meta[http-equiv="refresh"]`, "content"); got != "60;url=/kiosk" {
		t.Errorf("the session page refreshes with %q, want 60;url=/kiosk", got)
	}
	if n := b.count("#kiosk-report"); n != 1 {
		t.Errorf("%d links to the report, want 1", n)
	}
	for _, m := range b.phoneMisfits() {
		t.Errorf("the session page: %s", m)
	}
	b.checkReadable("/kiosk")
	if bottom := eval[float64](b, `document.getElementById("kiosk-end").getBoundingClientRect().bottom`); bottom > phoneHeight {
		t.Errorf("the end-session button is at %.0f px, below the %d px screen", bottom, phoneHeight)
	}
	b.shoot("phone-kiosk-session")
	b.press("#kiosk-end", 200)
	if got := b.where(); got != "/kiosk" {
		t.Errorf("after end session the kiosk is at %s, want /kiosk", got)
	}
	if v := eval[string](b, `document.getElementById("id").value`); v != "" {
		t.Errorf("after end session the ID field holds %q, want empty", v)
	}
	if n := b.count(`meta[http-equiv="refresh"]`); n != 0 {
		t.Errorf("the empty kiosk refreshes itself")
	}
}
