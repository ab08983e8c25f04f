package web_test

import (
	"net/url"
	"testing"
)

// On the real server, a resident's own page says what would change their
// grade in each scheme: points to the bands either side, the score after
// the next expiry, and from when a deduction may be repaired; in Chinese
// by default and in English when asked.
func TestResidentSeesWhatWouldChangeTheirGrade(t *testing.T) {
	s := newSite(t)
	city := s.withCity()
	id := s.signIn("recorder", "en").subjectID("张")
	rec := s.signIn("rec-city", "en")
	form := "/record/" + city + "/" + id + "/utilities.late-fees"
	rec.get(form)
	rec.post(form+"/confirm", url.Values{"ref": {"web-late-fee"}, "date": {"2026-11-20"}, "note": {"arrears notice 9"}}) // minor, -20 for 3 months

	zh := s.signIn("zhang", "")
	zh.get("/me")
	zh.has("outlook in Chinese", `id="outlook-rongcheng-city"`, "什么会改变我的等级",
		"再得 50 分升到 AA 级", "再扣 21 分降到 B 级",
		"2027-02-20 起 1 条记录到期：+20 分，之后 1000 分（A 级）",
		"可申请信用修复：2026-11-20 起")
	en := s.signIn("zhang", "en")
	en.get("/me")
	en.has("outlook in English", `id="outlook-rongcheng-city"`, "What would change my grade",
		"50 more points to grade AA", "21 points of deductions would drop you to grade B",
		"On 2027-02-20, 1 record(s) stop counting: +20, then 1000 (grade A)",
		"May be repaired from 2026-11-20")
}
