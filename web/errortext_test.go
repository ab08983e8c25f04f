package web_test

import (
	"net/url"
	"testing"
)

// A clerk who mistypes an ID number reads why in the page's language: in
// Chinese the ledger's sentence is Chinese, with no English beside it; in
// English it is the ledger's own sentence.
func TestAFormErrorSaysTheLedgersSentenceInThePagesLanguage(t *testing.T) {
	s := newSite(t)
	good := newVillager(7)
	bad := good[:17] + map[bool]string{true: "1", false: "2"}[good[17] == '2']
	form := func() url.Values {
		return url.Values{"scheme": {village}, "name": {"王芳"}, "id": {bad}, "unit": {"三组"}, "consent": {"yes"}}
	}

	zh := s.signIn("recorder", "zh")
	zh.get("/people")
	zh.post("/people", form())
	if zh.status != 422 {
		t.Fatalf("a wrong check character: status %d, want 422", zh.status)
	}
	zh.has("the reason in Chinese, next to the ID number", `id="id-error"`, "请检查您填写的内容", "身份证号的校验位是 "+bad[17:]+"，应为 "+good[17:])
	zh.lacks("English", "check character", "mistyped", "resident ID")

	en := s.signIn("recorder", "en")
	en.get("/people")
	en.post("/people", form())
	en.has("the reason in English", "resident ID check character is "+bad[17:]+", want "+good[17:])
}
