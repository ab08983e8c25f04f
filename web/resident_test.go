package web_test

import (
	"regexp"
	"time"

	"bytes"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"image"
	"image/color"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A resident sees their score, its key factor, each record with its rule
// and expiry, and who read their record and why; they can withdraw
// consent, after which no score is computed.
func TestResidentSeesTheirRecord(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "en")
	id := rec.subjectID("张")
	form := "/record/jiakuang-majia/" + id + "/labour.volunteer"
	rec.get(form)
	rec.post(form+"/confirm", url.Values{"ref": {"web-r1"}, "f.hours": {"8"}, "date": {"2026-11-20"}})

	rev := s.signIn("reviewer", "en")
	rev.get("/review/person?" + url.Values{"scheme": {"jiakuang-majia"}, "q": {zhang}, "purpose": {"objection 2026-17"}, "subject": {id}}.Encode())
	rev.has("reviewer's look", "张伟", "Volunteer")

	me := s.signIn("zhang", "en")
	if me.where != "/me" {
		t.Fatalf("a resident lands on %s, want /me", me.where)
	}
	me.has("own page", `id="score-jiakuang-majia">2<`, `id="factors-jiakuang-majia"`, "Volunteer labour", "2027-11-20",
		`id="access-log"`, "recorder", "reviewer", "objection 2026-17", "<svg")
	me.lacks("own page", li, "李娜")
	me.get("/me") // a second look: the first one's reads are now in the log
	me.has("own reads counted, not listed", `id="own-views">You viewed your own record`)
	me.lacks("own reads not listed", `<td>zhang <span class="muted">(Resident)</span>`)
	me.has("others' reads listed", `<td>reviewer <span class="muted">(Reviewer)</span>`)

	me.post("/me/consent", url.Values{"scheme": {"jiakuang-majia"}, "given": {"false"}})
	me.has("after withdrawing consent", "You are not scored in this scheme", "I agree to be scored")
	sc, err := s.svc.Score(s.admin, "jiakuang-majia", zhang, s.clock.Now())
	if err != nil || sc.Scored {
		t.Errorf("score after withdrawing consent on the page: %+v %v, want not scored", sc, err)
	}
}

// Each role reaches only its own pages; nobody signed in is sent to sign
// in; a wrong password is refused and, after ten, even the right one
// waits.
func TestRolesAndSignIn(t *testing.T) {
	s := newSite(t)
	anon := s.user("en")
	anon.get("/me")
	if !strings.HasPrefix(anon.where, "/signin?next=%2Fme") {
		t.Errorf("anonymous /me: at %s, want sign-in", anon.where)
	}
	me := s.signIn("zhang", "en")
	for _, p := range []string{"/record", "/review", "/admin"} {
		me.get(p)
		if me.status != 403 {
			t.Errorf("a resident opens %s: %d, want 403", p, me.status)
		}
	}
	rec := s.signIn("recorder", "en")
	for _, p := range []string{"/me", "/review", "/admin"} {
		rec.get(p)
		if rec.status != 403 {
			t.Errorf("a recorder opens %s: %d, want 403", p, rec.status)
		}
	}
	bad := s.user("en")
	for i := 0; i < 10; i++ {
		bad.post("/signin", url.Values{"name": {"admin"}, "password": {"wrong password"}})
		if bad.status != 401 {
			t.Fatalf("wrong password %d: %d, want 401", i, bad.status)
		}
	}
	bad.has("wrong password", "The name or the password is wrong.")
	bad.post("/signin", url.Values{"name": {"admin"}, "password": {password}})
	if bad.status != 429 {
		t.Errorf("the right password after ten wrong ones: %d, want 429", bad.status)
	}
	// Signing out ends the session on the server, not just the cookie.
	rec.get("/record")
	cookies := rec.client.Jar.Cookies(mustURL(s.url))
	rec.post("/signout", url.Values{})
	replay := s.user("en")
	replay.client.Jar.SetCookies(mustURL(s.url), cookies)
	replay.get("/record")
	if !strings.HasPrefix(replay.where, "/signin") {
		t.Errorf("the old cookie after signing out opens %s, want sign-in", replay.where)
	}
}

// Pages follow the browser's language, the switch overrides it, and a
// page's text comes from the catalogue of its language.
func TestLanguages(t *testing.T) {
	s := newSite(t)
	u := s.user("en-GB,en;q=0.9")
	u.get("/")
	u.has("English browser", `<html lang="en">`, "Credit schemes", "Jiakuang Majia good-deeds points")
	u.get("/lang/zh?back=%2Fschemes%2Fjiakuang-majia")
	if u.where != "/schemes/jiakuang-majia" {
		t.Errorf("after switching: at %s, want back on the rulebook", u.where)
	}
	u.has("after switching to Chinese", `<html lang="zh-CN">`, "义务劳动", "法律依据")
	zh := s.user("zh-CN,zh;q=0.9")
	zh.get("/signin")
	zh.has("Chinese browser", "用户名", "密码")
	other := s.user("")
	other.get("/lang/fr")
	if other.status != 404 {
		t.Errorf("switch to an unknown language: %d, want 404", other.status)
	}
}

// The public sees every rule with its points, cap, duration and basis,
// what changed between versions, and statistics with small counts
// withheld.
func TestPublicPages(t *testing.T) {
	s := newSite(t)
	u := s.user("en")
	u.get("/schemes/jiakuang-majia")
	u.has("rulebook", "Littering", "-10", "at most 20 points a month", "3 months", "Village covenant (chapter on sanitation)", "minor")
	zh := s.user("zh")
	zh.get("/schemes/jiakuang-majia")
	zh.has("rulebook in Chinese", "村规民约（环境卫生篇）")
	u.lacks("version 1", `id="changes"`)
	rec := s.signIn("recorder", "en")
	id := rec.subjectID("李")
	rec.get("/record/jiakuang-majia/" + id + "/labour.volunteer")
	rec.post("/record/jiakuang-majia/"+id+"/labour.volunteer/confirm", url.Values{"ref": {"web-s1"}, "f.hours": {"4"}, "date": {"2026-11-20"}})
	u.get("/schemes/jiakuang-majia/statistics")
	u.has("statistics", "2 enrolled", "1 records in all", "Volunteering</td><td>fewer than 5", "Donations</td><td>0", "<svg")
	u.get("/schemes/nowhere")
	if u.status != 404 {
		t.Errorf("an unknown scheme: %d, want 404", u.status)
	}

	adm := s.signIn("admin", "en")
	src := s.rulebook(t)
	changed := strings.Replace(src, "effective: 2025-01-01", "effective: 2026-12-01", 1)
	changed = strings.Replace(changed, "points: -10 ", "points: -5 ", 1)
	if changed == src {
		t.Fatal("village.yaml has changed: update this test's edit")
	}
	adm.post("/admin/rulebooks", url.Values{"source": {changed}, "action": {"lint"}})
	adm.has("lint", `id="lint"`)
	// A finding reads in the page's language.
	noBasis := strings.Replace(changed, "basis:", "note:", 1)
	lintList := regexp.MustCompile(`(?s)<ul class="list" id="lint">.*?</ul>`)
	adm.post("/admin/rulebooks", url.Values{"source": {noBasis}, "action": {"lint"}})
	if found := lintList.FindString(adm.page); !strings.Contains(found, "basis") {
		t.Errorf("the English finding of a deduction without basis: %q", found)
	}
	zhAdm := s.signIn("admin", "zh")
	zhAdm.post("/admin/rulebooks", url.Values{"source": {noBasis}, "action": {"lint"}})
	if found := lintList.FindString(zhAdm.page); !strings.Contains(found, "依据") || strings.Contains(found, "needs a legal") {
		t.Errorf("the Chinese finding of a deduction without basis: %q", found)
	}
	adm.post("/admin/rulebooks", url.Values{"source": {changed}, "action": {"publish"}})
	adm.has("publish", "Published jiakuang-majia version 2")
	u.get("/schemes/jiakuang-majia?version=2")
	u.has("version 2", `id="changes"`, "conduct.littering", "-10", "-5")
}

// rulebook is the village example's source.
func (s *site) rulebook(t *testing.T) string {
	v, err := s.svc.Versions(s.admin, "jiakuang-majia")
	if err != nil {
		t.Fatal(err)
	}
	return string(v[0].Source)
}

// An administrator adds an account that can then sign in, disables it,
// and makes an API token whose secret is shown once.
func TestAdminAccountsAndTokens(t *testing.T) {
	s := newSite(t)
	adm := s.signIn("admin", "en")
	adm.post("/admin/accounts", url.Values{"name": {"Bad Name"}, "password": {"short"}, "role": {"recorder"}})
	if adm.status != 422 {
		t.Errorf("a bad account: %d, want 422", adm.status)
	}
	adm.has("bad account", `id="name-error"`, `value="Bad Name"`)
	adm.post("/admin/accounts", url.Values{"name": {"wang"}, "password": {password}, "role": {"recorder"}, "schemes": {"jiakuang-majia"}})
	adm.has("account added", "Account wang added.")
	s.signIn("wang", "en")
	adm.post("/admin/accounts/wang/disable", url.Values{})
	w := s.user("en")
	w.post("/signin", url.Values{"name": {"wang"}, "password": {password}})
	if w.status != 401 {
		t.Errorf("a disabled account signs in: %d, want 401", w.status)
	}
	adm.post("/admin/tokens", url.Values{"name": {"bank"}, "role": {"verifier"}, "schemes": {"jiakuang-majia"}})
	adm.has("token made", `id="token-secret">tly_`)
}

// A photo attached as evidence is stored once, cited by the record, and
// shown to the resident it is about but to no other resident, to whom it
// is as if there were no record.
func TestEvidencePhoto(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "en")
	id := rec.subjectID("张")
	form := "/record/jiakuang-majia/" + id + "/donation"
	rec.get(form)
	csrf := csrfField.FindStringSubmatch(rec.page)[1]
	photo := tinyPNG(t)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"csrf": csrf, "ref": "web-photo", "f.value": "3000", "date": "2026-11-20"} {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("photo", "receipt.png")
	_, _ = fw.Write(photo)
	mw.Close()
	req, _ := http.NewRequest("POST", s.url+form, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec.do(req)
	rec.has("confirmation with a photo", "A file is attached.", `name="photo_ref" value="sha256:`)
	ref := html2attr(rec.page, "photo_ref")
	rec.post(form+"/confirm", url.Values{"ref": {"web-photo"}, "f.value": {"3000"}, "date": {"2026-11-20"}, "photo_ref": {ref}})
	h := s.history(zhang)
	if len(h) != 1 || !strings.HasPrefix(h[0].Evidence, "sha256:") {
		t.Fatalf("history: %+v, want one record citing the photo", h)
	}
	file := "/evidence/jiakuang-majia/" + itoa(h[0].ID)
	me := s.signIn("zhang", "en")
	me.get(file)
	if me.status != 200 || me.page != string(photo) {
		t.Errorf("the resident opens the photo: %d, %d bytes, want 200 and the file", me.status, len(me.page))
	}
	other := s.signIn("li", "en")
	other.get(file)
	if other.status != 404 {
		t.Errorf("another resident opens the photo: %d, want 404, as for no record", other.status)
	}
	text := s.user("en")
	text.client.Jar = rec.client.Jar
	rec.get(form)
	csrf = csrfField.FindStringSubmatch(rec.page)[1]
	body.Reset()
	mw = multipart.NewWriter(&body)
	_ = mw.WriteField("csrf", csrf)
	_ = mw.WriteField("ref", "web-script")
	_ = mw.WriteField("f.value", "100")
	_ = mw.WriteField("date", "2026-11-20")
	fw, _ = mw.CreateFormFile("photo", "x.png")
	_, _ = fw.Write([]byte("<script>alert(1)</script>"))
	mw.Close()
	req, _ = http.NewRequest("POST", s.url+form, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec.do(req)
	rec.has("a file that is not a photo", `id="photo-error"`, "text/html")
}

// html2attr reads the value of a hidden input by name.
func html2attr(page, name string) string {
	i := strings.Index(page, `name="`+name+`" value="`)
	if i < 0 {
		return ""
	}
	rest := page[i+len(`name="`+name+`" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// tinyPNG is a real 2×2 PNG.
func tinyPNG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	img.Set(0, 0, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// A resident on a court list sees, on their own page, which services it
// restricts, under which case and court, until when, and how to lift it;
// services it does not restrict show as allowed.
func TestResidentSeesRestrictions(t *testing.T) {
	s := newSite(t)
	listZhang(t, s)
	me := s.signIn("zhang", "en")
	me.has("restrictions", `id="eligibility"`, "Air travel", "restricted", "(2026)鲁1082执123号", "荣成市人民法院", "How to lift it")
	other := s.signIn("li", "en")
	other.lacks("another resident", "(2026)鲁1082执123号")
	other.has("another resident", `id="measure-air-travel"><strong>Air travel</strong>: <span class="tag">allowed`)
}

// listZhang publishes the default sanctions catalogue and puts Zhang on
// the list of judgment defaulters.
func listZhang(t *testing.T, s *site) {
	t.Helper()
	if _, err := s.svc.PublishCatalogue(s.admin, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	day := func(d string) time.Time {
		tm, err := time.Parse(time.DateOnly, d)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	_, err := s.svc.List(s.admin, ledger.Listing{List: "judgment-defaulters", Identifier: zhang, Name: "张伟",
		CaseNumber: "(2026)鲁1082执123号", Court: "荣成市人民法院", DecidedOn: day("2026-10-01"), NoticeServed: day("2026-10-08"),
		Grounds: "able to pay and did not", Basis: "Civil Procedure Law art. 262"})
	if err != nil {
		t.Fatal(err)
	}
}
