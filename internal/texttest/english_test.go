package texttest_test

import (
	"testing"

	"github.com/tallycredit/tally/internal/texttest"
)

// The detector finds English sentences and lets codes, abbreviations and
// Chinese through.
func TestEnglishSentencesDetector(t *testing.T) {
	allowed := map[string]bool{"admin": true}
	for text, want := range map[string]int{
		"Legal basis: village rules art. 3":       1,
		"依据 conduct.littering 扣分":                 0,
		"下载 PDF / CSV / XLSX 文件":                  0,
		"SHA-256 ID QR AAA":                       0,
		"admin rule-maker recorder":               0,
		"已登录 admin":                               0,
		"the record was":                          1,
		"two words":                               0,
		"张伟 Zhang Wei":                            0,
		"Reviewed by the reviewer on 2026-11-01":  1,
		"jiakuang-majia 360426199101010071 v2 A组": 0,
	} {
		if got := len(texttest.EnglishSentences(text, allowed)); got != want {
			t.Errorf("%q: %d sentences %v, want %d", text, got, texttest.EnglishSentences(text, allowed), want)
		}
	}
}
