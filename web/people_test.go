package web_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"golang.org/x/text/width"
)

// newVillager returns the n-th made-up resident ID number, with its check
// character.
func newVillager(n int) string {
	body := fmt.Sprintf("36042619900101%03d", n)
	return body + string(tally.ResidentCheck(body))
}

// found is a villager enrolled in the village, as a recorder finds them
// (nil when the search finds nobody).
func (s *site) found(identifier string) *ledger.Found {
	s.t.Helper()
	f, err := s.svc.Find(s.admin, village, identifier)
	if err != nil {
		s.t.Fatal(err)
	}
	if len(f) == 0 {
		return nil
	}
	return &f[0]
}

// subjectExists reports whether any subject has the identifier, enrolled
// anywhere or not (asked by enrolling it as the admin would, which fails
// with not found when it does not exist: call it only to expect false).
func (s *site) subjectExists(identifier string) bool {
	s.t.Helper()
	_, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: village, Identifier: identifier, Consent: false, How: "test"})
	return tally.ErrorCodeOf(err) != tally.ENotFound
}

// A clerk adds a villager from a page: a wrong ID number (its check
// character) or a unit over several lines is shown next to its field and
// writes nothing; a good one, typed with full-width digits, is added and
// enrolled with the consent decision and lands on their consents. The
// clerk records consent to the honour board, and a withdrawal of consent
// to be scored only once confirmed.
func TestClerkAddsEnrolsAndRecordsConsents(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "zh")
	rec.get("/record")
	rec.has("the way to the clerk's page", `href="/people?scheme=`+village+`"`)
	rec.get("/people")
	rec.has("the add form", `action="/people"`, "登记新村民", "身份证号", "户 / 村民小组")

	good := newVillager(7)
	bad := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] == '2']
	rec.post("/people", url.Values{"scheme": {village}, "name": {"王芳"}, "id": {bad}, "unit": {"三组"}, "consent": {"yes"}})
	if rec.status != 422 {
		t.Fatalf("a wrong check character: status %d, want 422", rec.status)
	}
	rec.has("the error next to the ID number", `id="id-error"`, `aria-describedby="id-hint id-error"`, "请检查您填写的内容", `value="王芳"`)
	if s.subjectExists(bad) {
		t.Error("a wrong ID number added a subject")
	}
	rec.post("/people", url.Values{"scheme": {village}, "name": {"王芳"}, "id": {good}, "unit": {"三组\n张家"}, "consent": {"yes"}})
	if rec.status != 422 {
		t.Fatalf("a unit over two lines: status %d, want 422", rec.status)
	}
	rec.has("the error next to the unit", `id="unit-error"`)
	if s.subjectExists(good) {
		t.Error("a bad unit still added the subject")
	}
	rec.post("/people", url.Values{"scheme": {village}, "name": {"王芳"}, "id": {good}, "unit": {"三组"}})
	if rec.status != 422 {
		t.Fatalf("no consent decision: status %d, want 422", rec.status)
	}
	rec.has("the error next to the consent", `id="consent-error"`, "请选择同意或不同意。")
	if s.subjectExists(good) {
		t.Error("a form without a consent decision added the subject")
	}

	fullWidth := width.Widen.String(good)
	rec.post("/people", url.Values{"scheme": {village}, "name": {"王芳"}, "id": {fullWidth}, "unit": {"三组"}, "consent": {"yes"}, "how": {"签字同意书"}})
	if rec.status != 200 || !regexp.MustCompile(`^/people/`+village+`/\d+\?note=added$`).MatchString(rec.where) {
		t.Fatalf("add: status %d at %s: %s", rec.status, rec.where, rec.page)
	}
	rec.has("the consents of the person added", "已登记并加入本积分项目。", "王芳", "三组", "本人同意在本积分项目中评分。", "本人没有同意公布姓名")
	f := s.found(good)
	if f == nil || f.Name != "王芳" || f.Unit != "三组" || !f.Consent {
		t.Fatalf("after adding: %+v, want 王芳 of 三组, consenting", f)
	}
	page := rec.where[:strings.Index(rec.where, "?")]

	rec.post(page+"/publication", url.Values{"given": {"true"}, "how": {"签字"}})
	rec.has("after recording publication", "已记录：本人同意在光荣榜上公布姓名。")
	if on, err := s.svc.Publication(s.admin, village, good); err != nil || !on {
		t.Errorf("publication after the clerk's form: %v %v, want true", on, err)
	}

	rec.post(page+"/consent", url.Values{"given": {"false"}})
	if rec.status != 200 {
		t.Fatalf("withdrawal asked: status %d", rec.status)
	}
	rec.has("the confirmation", `id="confirm"`, "确认：王芳 撤回评分同意？", "撤回后，本积分项目不再为其计算积分和等级", `name="confirm" value="yes"`)
	if f := s.found(good); !f.Consent {
		t.Fatal("asking to withdraw withdrew before the confirmation")
	}
	rec.post(page+"/consent", url.Values{"given": {"false"}, "confirm": {"yes"}, "how": {"本人口头撤回"}})
	rec.has("after the confirmed withdrawal", "已记录：本人撤回评分同意。", "本人没有同意评分")
	if f := s.found(good); f.Consent {
		t.Error("the confirmed withdrawal left the consent given")
	}

	en := s.signIn("recorder", "en")
	en.get(page)
	en.has("the consents in English", "Consents", "They have not agreed to be scored", "They agree to have their name on the honour board.", "Record: agrees to be scored")
	en.post("/people", url.Values{"scheme": {village}, "name": {"Wang"}, "id": {"12345"}, "unit": {"Group 3"}, "consent": {"no"}})
	en.has("the ID error in English", `id="id-error"`, "Please check what you entered.")

	rev := s.signIn("reviewer", "zh")
	rev.get("/people")
	if rev.status != 403 {
		t.Errorf("a reviewer on the clerk's page: status %d, want 403", rev.status)
	}
}
