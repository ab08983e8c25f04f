package web_test

import (
	"net/url"
	"testing"
)

// A resident withdraws consent to scoring and to the honour board from
// their own page; each withdrawal sits behind a confirm form that names
// what follows. Another person's scheme enrolment is not theirs to change.
func TestResidentWithdrawsConsent(t *testing.T) {
	s := newSite(t)
	october(t, s) // 张伟 agreed to be named on the board
	me := s.signIn("zhang", "zh")
	me.has("own page", `action="/me/consent"`, `action="/me/publication"`, "停止对我评分后", "不再出现在光荣榜上",
		`id="publication-jiakuang-majia"`, "您同意在本方案的光荣榜上公布姓名")

	me.post("/me/publication", url.Values{"scheme": {"jiakuang-majia"}, "given": {"false"}})
	me.has("after withdrawing publication", "您没有同意在光荣榜上公布姓名", "我同意在光荣榜上公布")
	if on, err := s.svc.Publication(s.admin, "jiakuang-majia", zhang); err != nil || on {
		t.Errorf("publication after withdrawing on the page: %v %v, want false", on, err)
	}
	me.post("/me/publication", url.Values{"scheme": {"jiakuang-majia"}, "given": {"true"}})
	if on, err := s.svc.Publication(s.admin, "jiakuang-majia", zhang); err != nil || !on {
		t.Errorf("publication after agreeing on the page: %v %v, want true", on, err)
	}

	en := s.signIn("zhang", "en")
	en.has("own page in English", "Once you stop being scored", "no longer appear on the honour board")

	other := s.signIn("li", "zh")
	other.post("/me/publication", url.Values{"scheme": {"jiakuang-majia"}, "given": {"false"}})
	if on, err := s.svc.Publication(s.admin, "jiakuang-majia", zhang); err != nil || !on {
		t.Errorf("zhang's publication after li's form: %v %v, want still true", on, err)
	}
	anon := s.user("zh")
	anon.post("/me/publication", url.Values{"scheme": {"jiakuang-majia"}, "given": {"false"}})
	if on, _ := s.svc.Publication(s.admin, "jiakuang-majia", zhang); !on {
		t.Error("an anonymous post withdrew zhang's board consent")
	}
}
