package web_test

import "testing"

// A resident's restrictions show the matrix's legal basis and how to lift
// each restriction in the reader's language, and only in it: for a list
// entry the list's removal conditions, for a grade gate the grade to reach.
func TestRestrictionTextsInReadersLanguage(t *testing.T) {
	s := newSite(t)
	listZhang(t, s)
	zh := s.signIn("zhang", "zh")
	zh.get("/me")
	zh.has("the Chinese texts", "2016年《关于对失信被执行人实施联合惩戒的合作备忘录》", "法院于三个工作日内删除",
		"荣成市守信激励措施（数据未经核实）", "在 rongcheng-city 中达到 AAA 级或以上")
	zh.lacks("the English texts", "Memorandum on joint sanctions", "three working days", "Rongcheng incentives", "a grade of AAA")
	en := s.signIn("zhang", "en")
	en.get("/me")
	en.has("the English texts", "2016 Memorandum on joint sanctions against dishonest judgment defaulters", "within three working days",
		"Rongcheng incentives for the trustworthy", "a grade of AAA or above in rongcheng-city")
	en.lacks("the Chinese texts", "联合惩戒", "三个工作日", "守信激励")
}
