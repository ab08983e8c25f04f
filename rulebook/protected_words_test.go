package rulebook_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/tallycredit/tally/rulebook"
)

// mustProtected parses the embedded list of protected activities.
func mustProtected(tb testing.TB) rulebook.ProtectedWords {
	tb.Helper()
	w, err := rulebook.ParseProtected(rulebook.ProtectedYAML)
	if err != nil {
		tb.Fatalf("protected.yaml: %v", err)
	}
	return w
}

// titleCase is a deduction titled zh and en that Load must refuse at its
// title line, naming word and the activity.
func titleCase(name, field, zh, en, word, activity string) problemCase {
	return problemCase{
		name:  name,
		src:   doc(deduction, fmt.Sprintf("title: {zh: %q, en: %q}", zh, en)),
		rule:  "littering",
		field: field,
		msg:   fmt.Sprintf("%q targets a protected activity (%s)", word, activity),
	}
}

// fullWidth writes the ASCII letters and digits of s in their full-width
// forms, as a Chinese input method may type them.
func fullWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r + 0xfee0
		}
		return r
	}, s)
}

// spaced puts an ideographic space between the characters of s.
func spaced(s string) string {
	return strings.Join(strings.Split(s, ""), "\u3000")
}

// TestProtectedWordsRefused refuses every word of rulebook/protected.yaml,
// as written, inside a longer title, in each traditional or variant form
// the fold table knows, full-width and with spaces between its characters:
// a word added to the file is tested without another line here.
func TestProtectedWordsRefused(t *testing.T) {
	w := mustProtected(t)
	variants := map[rune][]rune{} // simplified character -> its variant forms
	for from, to := range w.Fold {
		variants[to] = append(variants[to], from)
	}
	for _, vs := range variants {
		sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	}
	var tests []problemCase
	for _, a := range w.Activities {
		for _, word := range a.Zh {
			add := func(how, title string) {
				tests = append(tests, titleCase(a.Name.En+"/"+word+"/"+how, "title.zh", title, "Misconduct", word, a.Name.En))
			}
			add("as written", word)
			add("in a title", "违规"+word+"行为")
			add("full-width and spaced", spaced(fullWidth(word)))
			for _, c := range word {
				for _, v := range variants[c] {
					add("variant "+string(v), strings.ReplaceAll(word, string(c), string(v)))
				}
			}
		}
		for _, word := range a.En {
			add := func(how, title string) {
				tests = append(tests, titleCase(a.Name.En+"/"+word+"/"+how, "title.en", "违规", title, word, a.Name.En))
			}
			add("as written", word)
			add("upper case in a title", "Repeated "+strings.ToUpper(word)+" by a resident")
			add("full-width", fullWidth(word))
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// TestProtectedMessage shows a refusal in Chinese first, then English,
// naming the word as listed, how the rule wrote it, the activity and the
// law that protects it; String adds the file, line, rule and field.
func TestProtectedMessage(t *testing.T) {
	src := doc(deduction, `title: {zh: "在微信群散 布 謠 言", en: Misconduct}`)
	_, rep := rulebook.Load("village.yaml", []byte(src))
	rep = rep.Errors()
	if len(rep) != 1 {
		t.Fatalf("got errors %v, want one", rep)
	}
	p := rep[0]
	for _, want := range []string{
		`"谣言"`, `"謠 言"`, "受保护的活动", "言论或网上发言", "积分方案不得对其计分", "宪法》第三十五条",
		`"谣言" targets a protected activity (speech or online posts); a scheme may not score it; written "謠 言"; protected by Constitution`,
		"Constitution of the PRC, art. 35",
	} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("got message %q, want it to contain %q", p.Message, want)
		}
	}
	if zh, en := strings.Index(p.Message, "受保护的活动"), strings.Index(p.Message, "protected activity"); zh > en {
		t.Errorf("got message %q, want Chinese before English", p.Message)
	}
	want := fmt.Sprintf("village.yaml:%d: rule littering: title.zh: ", markedLine(src))
	if got := p.String(); !strings.HasPrefix(got, want) {
		t.Errorf("got %q, want it to start with %q", got, want)
	}
}

// TestProtectedWordingsRefused shows rules as an official might draft
// them, and decisions the list makes on purpose: a rule that rewards
// handling petitions on time, or fighting "superstition", is refused too.
func TestProtectedWordingsRefused(t *testing.T) {
	const (
		petitions = "petitions or complaints to the authorities"
		speech    = "speech or online posts"
		religion  = "religion or belief"
		assembly  = "assembly or protest"
		press     = "contact with journalists or foreign media"
	)
	tests := []problemCase{
		titleCase("rumours in a WeChat group", "title.zh", "在微信群散布谣言", "Misconduct", "谣言", speech),
		titleCase("improper remarks", "title.zh", "发表不当言论", "Misconduct", "言论", speech),
		titleCase("online posting", "title.zh", "网上发帖", "Misconduct", "发帖", speech),
		titleCase("Douyin video", "title.zh", "在抖音发布视频", "Misconduct", "抖音", speech),
		titleCase("Moments", "title.zh", "朋友圈转发", "Misconduct", "转发", speech),
		titleCase("abnormal petition", "title.zh", "非正常上访", "Misconduct", "上访", petitions),
		titleCase("pestering petitions", "title.zh", "缠访闹访", "Misconduct", "缠访", petitions),
		titleCase("hotline", "title.zh", "恶意拨打１２３４５热线", "Misconduct", "12345", petitions),
		titleCase("answering petitions on time", "title.zh", "按时办理信访事项", "Misconduct", "信访", petitions),
		titleCase("gathering a crowd to disturb order", "title.zh", "聚众扰乱社会秩序", "Misconduct", "聚众", assembly),
		titleCase("gathering inside a cluster zone", "title.zh", "在产业聚集区非法聚集", "Misconduct", "聚集", assembly),
		titleCase("foreign media interview", "title.zh", "接受境外媒体采访", "Misconduct", "媒体", press),
		titleCase("tip to the media", "title.zh", "向媒体爆料", "Misconduct", "媒体", press),
		titleCase("religious gathering", "title.zh", "参加宗教聚会", "Misconduct", "宗教", religion),
		titleCase("preaching", "title.zh", "私自传教", "Misconduct", "传教", religion),
		titleCase("superstition", "title.zh", "破除封建迷信", "Misconduct", "迷信", religion),
		titleCase("traditional characters", "title.zh", "參加宗教活動", "Misconduct", "宗教", religion),
		titleCase("Kangxi radical for 言", "title.zh", "不当\u2f94论", "Misconduct", "言论", speech),
		titleCase("zero-width space", "title.zh", "上\u200b访", "Misconduct", "上访", petitions),
		titleCase("rumours in English", "title.en", "违规", "Spreading rumours online", "rumours", speech),
	}
	fact := doc(deduction, "facts: {n: {type: integer, title: {zh: 上访次数, en: Times}}}", "points: -10 * n", "effect: deduction")
	tests = append(tests, problemCase{name: "fact title", rule: "littering", field: "facts.n.title.zh", msg: `"上访"`,
		src: strings.Replace(strings.Replace(fact, " #<", "", 1), "en: Times}}}", "en: Times}}} #<", 1)})
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// TestProtectedNeutralRulesLoad shows ordinary rules, some containing a
// listed word inside another word, that load without a problem.
func TestProtectedNeutralRulesLoad(t *testing.T) {
	titles := []string{
		"破坏公共设施", "乱扔垃圾", "违规占道经营", "拖欠水费", "垃圾分类", "聚餐浪费", "乱贴小广告",
		"走访慰问困难户", "信用卡逾期", "举报假冒伪劣商品（经查实）", "向村集体捐赠",
		"产业聚集区企业按时纳税", "人员聚集场所堵塞消防通道", "聚众赌博", "聚众斗殴",
		"旅游行业诚信经营", "导游行为不规范", "网游行业实名登记",
		"捐赠多媒体设备", "参加法治宣传教育", "诚信教育讲座",
		"破壞公共設施", "旅遊行業誠信經營", "參加法治宣傳教育", "人員聚集場所堵塞消防通道",
	}
	for _, title := range titles {
		t.Run(title, func(t *testing.T) {
			_, rep := rulebook.Load("test.yaml", []byte(doc(deduction+award, fmt.Sprintf("title: {zh: %q, en: Misconduct}", title))))
			if len(rep) > 0 {
				t.Errorf("got problems %v, want none", rep)
			}
		})
	}
}

// TestProtectedListWellFormed: the embedded list parses (no word twice,
// every word under an activity with a name, a reason and a basis), and
// lists that break those rules are refused.
func TestProtectedListWellFormed(t *testing.T) {
	w := mustProtected(t)
	if len(w.Activities) < 6 {
		t.Errorf("got %d activities, want at least 6", len(w.Activities))
	}
	seen := map[string]string{}
	for _, a := range w.Activities {
		if a.Name.Zh == "" || a.Name.En == "" || a.Why == "" || a.Basis.Zh == "" || a.Basis.En == "" {
			t.Errorf("activity %+v lacks a name, a reason or a basis", a.Name)
		}
		for _, word := range append(append([]string{}, a.Zh...), a.En...) {
			if prev, ok := seen[word]; ok {
				t.Errorf("%q is listed under %s and %s", word, prev, a.Name.En)
			}
			seen[word] = a.Name.En
		}
	}
	const good = "activities:\n  - name: {zh: 言论, en: speech}\n    why: a right\n    basis: {zh: 宪法, en: Constitution}\n    zh: [谣言]\n    en: [speech]\nfold:\n  謠: 谣\n"
	if _, err := rulebook.ParseProtected([]byte(good)); err != nil {
		t.Fatalf("a good list: got %v, want no error", err)
	}
	bad := map[string]string{
		"word twice":              strings.Replace(good, "[谣言]", "[谣言, 谣言]", 1),
		"word twice across forms": strings.Replace(good, "[谣言]", "[谣言, 謠言]", 1),
		"english twice":           strings.Replace(good, "[speech]", "[speech, Speech]", 1),
		"no name":                 strings.Replace(good, "{zh: 言论, en: speech}", "{zh: 言论}", 1),
		"no reason":               strings.Replace(good, "    why: a right\n", "", 1),
		"no basis":                strings.Replace(good, "    basis: {zh: 宪法, en: Constitution}\n", "", 1),
		"no words":                strings.Replace(strings.Replace(good, "[谣言]", "[]", 1), "[speech]", "[]", 1),
		"unknown field":           strings.Replace(good, "    why:", "    note: x\n    why:", 1),
		"english with a hyphen":   strings.Replace(good, "[speech]", "[sit-in]", 1),
		"fold chain":              good + "  謡: 謠\n",
		"fold to itself":          good + "  谣: 谣\n",
		"fold of two characters":  good + "  謠言: 谣言\n",
	}
	for name, src := range bad {
		t.Run(name, func(t *testing.T) {
			if _, err := rulebook.ParseProtected([]byte(src)); err == nil {
				t.Errorf("got no error, want one for:\n%s", src)
			}
		})
	}
}

// TestProtectedFoldUsed: every fold entry maps to a character some listed
// word or allowed phrase uses, so the table holds nothing dead.
func TestProtectedFoldUsed(t *testing.T) {
	w := mustProtected(t)
	var all strings.Builder
	for _, a := range w.Activities {
		all.WriteString(strings.Join(a.Zh, ""))
		all.WriteString(strings.Join(a.Allow, ""))
	}
	for from, to := range w.Fold {
		if !strings.ContainsRune(all.String(), to) {
			t.Errorf("fold %c -> %c: no word or allowed phrase uses %c", from, to, to)
		}
	}
}
