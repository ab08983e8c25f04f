package ledger

import (
	"slices"
	"strings"
	"testing"

	"github.com/tallycredit/tally/internal/texttest"
)

// sampleArg is an argument of a detail kind for the tests: a word the
// catalogue knows, an instant, or a text as a person typed it.
func sampleArg(kind byte, i int) string {
	switch kind {
	case 'w':
		return "approved"
	case 't':
		return "2026-12-01T16:30:00Z"
	}
	return "x" + string(rune('1'+i))
}

// Every kind of access-log detail, stored as its code, reads back the
// same and says itself in Chinese and in English from the catalogue.
func TestAccessDetailRoundTripsInBothLanguages(t *testing.T) {
	for _, k := range detailKinds {
		args := make([]string, len(k.args))
		for i := range args {
			args[i] = sampleArg(k.args[i], i)
		}
		stored := accessDetail(k.code, args...)
		d := ParseAccessDetail(stored)
		if d.Code != k.code || !slices.Equal(d.Args, args) || d.String() != stored {
			t.Errorf("%s: stored %q reads back as %+v", k.code, stored, d)
			continue
		}
		text := d.Text()
		for lang, s := range map[string]string{"zh": text.Zh, "en": text.En} {
			if s == "" || strings.Contains(s, "{access.") || strings.Contains(s, "%!") {
				t.Errorf("%s in %s: %q", k.code, lang, s)
			}
			for i, a := range args {
				if k.args[i] == 's' && !strings.Contains(s, a) {
					t.Errorf("%s in %s: %q lacks the argument %q", k.code, lang, s, a)
				}
			}
		}
		if found := texttest.EnglishSentences(text.Zh, nil); len(found) > 0 || text.Zh == text.En && len(args) < 2 {
			t.Errorf("%s in Chinese: %q (English: %v)", k.code, text.Zh, found)
		}
	}
	elig := ParseAccessDetail(accessDetail(detailEligibility, "air-travel", "0", "loans", "2"))
	if got := elig.Text(); got.Zh != "air-travel：允许；loans：拒绝（2 项理由）" || got.En != "air-travel: allowed; loans: denied (2 reasons)" {
		t.Errorf("eligibility: %+v", got)
	}
}

// A detail an older version stored in English reads in Chinese by its
// known shape, and in English as stored.
func TestOldAccessDetailsReadInBothLanguages(t *testing.T) {
	for stored, zh := range map[string]string{
		"listed on court-dishonest, case (2026)京0105执123 by 朝阳区人民法院": "列入名单 court-dishonest，案号 (2026)京0105执123，由 朝阳区人民法院 列入",
		"removed from court-dishonest, case C1: performed":           "移出名单 court-dishonest，案号 C1：已履行义务",
		"12 records after #0":                                    "第 #0 条之后的 12 条记录",
		"3 entries after #7":                                     "第 #7 条之后的 3 条查阅记录",
		"person 张三":                                              "个人 张三",
		"organisation, unit 三组":                                  "单位，所属 三组",
		"consent true (signed form)":                             "同意计分 (signed form)",
		"publication on the honour board false (by letter)":      "不同意在荣誉榜公示 (by letter)",
		"repair #2 of record #9 applied: fine paid":              "信用修复申请 #2（记录 #9）已提交：fine paid",
		"repair #2 of record #9 approved: ok":                    "信用修复申请 #2（记录 #9）批准：ok",
		"record #9":                                              "记录 #9",
		"objection #4 to record #9: wrong person":                "异议 #4，针对记录 #9：wrong person",
		"objection #4 acknowledged":                              "异议 #4 已受理",
		"appeal #5 of objection #4: still wrong":                 "复议 #5，针对异议 #4：still wrong",
		"objection #4 voided: 属实":                                "异议 #4 撤销：属实",
		"credit report R-7K2P issued":                            "出具信用报告 R-7K2P",
		"credit report R-7K2P verified":                          "核验信用报告 R-7K2P",
		"24 instants":                                            "24 个时点",
		"record #9 reversed by #10: wrong person":                "记录 #9 由 #10 撤销：wrong person",
		"air-travel: denied (ref K-1, list entry #3)":            "air-travel：拒绝（核查编号 K-1，名单条目 #3）",
		"contact address removed":                                "联系地址已删除",
		"contact address set to l***@example.cn":                 "联系地址设为 l***@example.cn",
		"one-time code used":                                     "一次性验证码已使用",
		"record #9: conduct.littering -2":                        "记录 #9：conduct.littering -2",
		"import: record #9: conduct.littering -2":                "导入：记录 #9：conduct.littering -2",
		"record #9 rejected at second review: no evidence":       "记录 #9 复核驳回：no evidence",
		"grade at least B: answered yes":                         "等级不低于 B：回答是",
		"conduct.littering would give -2":                        "conduct.littering 试算得 -2 分",
		"commitment #3 signed: 按时清运垃圾 by 2026-12-31, permit P-1": "信用承诺 #3 已签署：按时清运垃圾，期限 2026-12-31，许可 P-1",
		"commitment #3 breached: 未清运":                            "信用承诺 #3 未履行：未清运",
		"air-travel: allowed; loans: denied (2 reasons)":         "air-travel：允许；loans：拒绝（2 项理由）",
		"something a later version may say":                      "something a later version may say",
	} {
		got := AccessDetailText(stored)
		if got.Zh != zh || got.En != stored {
			t.Errorf("%q: %+v, want zh %q", stored, got, zh)
		}
	}
	for stored, want := range map[string]string{
		"one-time kiosk code issued, valid until 2026-12-01T16:30:00Z": "有效至 2026-12-02 00:30",
		"as of 2026-12-01T16:30:00Z":                                   "截至 2026-12-02 00:30",
	} {
		if got := AccessDetailText(stored); !strings.Contains(got.Zh, want) || !strings.Contains(got.En, "2026-12-02 00:30") {
			t.Errorf("%q: %+v, want the local time %q", stored, got, want)
		}
	}
}
