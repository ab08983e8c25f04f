package rulebook_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tallycredit/tally/rulebook"
)

// mustForbidden parses the embedded list of forbidden data.
func mustForbidden(tb testing.TB) rulebook.ForbiddenData {
	tb.Helper()
	d, err := rulebook.ParseForbidden(rulebook.ForbiddenYAML)
	if err != nil {
		tb.Fatalf("forbidden.yaml: %v", err)
	}
	return d
}

// factRule is the deduction with one declared fact, written as decl
// ("name: {type: ...}"), its line marked; points use the fact when it is
// a number so the rule is otherwise sound.
func factRule(decl string) string {
	return doc(award+deduction, "facts: {"+decl+"} #<")
}

// snake writes an English word or phrase as a fact name: blood type ->
// blood_type.
func snake(word string) string { return strings.ReplaceAll(word, " ", "_") }

// forbiddenCase is a rule whose fact (named name, or titled title) Load
// must refuse at the facts line, naming the word and the kind of data.
func forbiddenCase(test, name, title, field, word, kind string) problemCase {
	decl := name + ": {type: integer}"
	if title != "" {
		decl = fmt.Sprintf("%s: {type: integer, title: {zh: %q, en: Count}}", name, title)
	}
	return problemCase{name: test, src: factRule(decl), rule: "littering", field: field,
		msg: fmt.Sprintf("(%q) collects forbidden data (%s)", word, kind)}
}

// TestForbiddenWordsRefused refuses a fact named by every English word and
// titled by every Chinese word of rulebook/forbidden.yaml, unless a kind
// that needs consent has requires_consent; then the same fact loads.
func TestForbiddenWordsRefused(t *testing.T) {
	d := mustForbidden(t)
	for _, k := range d.Kinds {
		for _, word := range k.En {
			tt := forbiddenCase(k.Name.En+"/"+word, snake(word), "", "facts."+snake(word), word, k.Name.En)
			t.Run(tt.name, tt.check)
			if k.Consent {
				t.Run(tt.name+"/with consent", consentLoads(snake(word)+": {type: integer, requires_consent: true}"))
			}
		}
		for _, word := range k.Zh {
			tt := forbiddenCase(k.Name.En+"/"+word, "n", "登记"+word+"次数", "facts.n.title.zh", word, k.Name.En)
			t.Run(tt.name, tt.check)
			if k.Consent {
				t.Run(tt.name+"/with consent", consentLoads(fmt.Sprintf("n: {type: integer, requires_consent: true, title: {zh: %q, en: Count}}", "登记"+word+"次数")))
			}
		}
	}
}

// consentLoads returns a test that a rule whose fact is declared as decl
// loads without a problem.
func consentLoads(decl string) func(*testing.T) {
	return func(t *testing.T) {
		_, rep := rulebook.Load("test.yaml", []byte(factRule(decl)))
		if len(rep) > 0 {
			t.Errorf("got problems %v, want none", rep)
		}
	}
}

// TestForbiddenFactNamedReligion: a fact named 宗教信仰 is refused with a
// reason in Chinese, then English, naming the fact, the kind of data and
// the law that forbids collecting it.
func TestForbiddenFactNamedReligion(t *testing.T) {
	src := factRule("宗教信仰: text")
	_, rep := rulebook.Load("village.yaml", []byte(src))
	var msg string
	for _, p := range rep.Errors() {
		if p.Field == "facts.宗教信仰" && strings.Contains(p.Message, "forbidden data") {
			msg = p.Message
			if want := fmt.Sprintf("village.yaml:%d: rule littering: facts.宗教信仰: ", markedLine(src)); !strings.HasPrefix(p.String(), want) {
				t.Errorf("got %q, want it to start with %q", p.String(), want)
			}
		}
	}
	if msg == "" {
		t.Fatalf("no forbidden-data error for facts.宗教信仰; got %v", rep)
	}
	for _, want := range []string{
		`事实"宗教信仰"`, "禁止采集的信息（宗教信仰）", "征信业管理条例》第十四条",
		`fact "宗教信仰" ("宗教") collects forbidden data (religion)`, "Credit Reporting Industry Regulations, art. 14",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("got message %q, want it to contain %q", msg, want)
		}
	}
	if zh, en := strings.Index(msg, "禁止采集"), strings.Index(msg, "forbidden data"); zh > en {
		t.Errorf("got message %q, want Chinese before English", msg)
	}
}

// TestForbiddenIncomeNeedsConsent: an income fact without requires_consent
// is refused, saying how to declare it; with it, the rule loads and the
// fact says so.
func TestForbiddenIncomeNeedsConsent(t *testing.T) {
	tests := []problemCase{
		{name: "short form", src: factRule("monthly_income: number"), rule: "littering", field: "facts.monthly_income",
			msg: "requires_consent: true"},
		{name: "consent false", src: factRule("monthly_income: {type: number, requires_consent: false}"), rule: "littering",
			field: "facts.monthly_income", msg: `("income") collects forbidden data (income, deposits, securities, insurance and property) unless the subject consents`},
		{name: "Chinese title", src: factRule(`n: {type: number, title: {zh: 家庭存款, en: Savings}}`), rule: "littering",
			field: "facts.n.title.zh", msg: "须经信用主体书面同意"},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
	b := mustLoad(t, factRule("monthly_income: {type: number, requires_consent: true}"))
	if f := mustRule(t, b, "littering").Facts[0]; !f.RequiresConsent {
		t.Errorf("fact %+v, want RequiresConsent", f)
	}
}

// TestForbiddenDecisions: a fact tying volunteer hours to a religious site
// is refused (it records where a person worships), in simplified and
// traditional characters and in English.
func TestForbiddenDecisions(t *testing.T) {
	tests := []problemCase{
		forbiddenCase("religious site", "hours", "宗教场所志愿服务小时", "facts.hours.title.zh", "宗教", "religion"),
		forbiddenCase("traditional characters", "n", "指紋採集", "facts.n.title.zh", "指纹", "fingerprints"),
		forbiddenCase("medical history", "n", "既往病史", "facts.n.title.zh", "病史", "illness and medical history"),
		forbiddenCase("English name", "religious_site_hours", "", "facts.religious_site_hours", "religious", "religion"),
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// TestForbiddenNeutralFactsLoad shows ordinary facts, some containing a
// listed word inside another, that load without a problem.
func TestForbiddenNeutralFactsLoad(t *testing.T) {
	facts := []struct{ name, zh, en string }{
		{"volunteer_hours", "志愿服务小时", "Volunteer hours"},
		{"blood_donations", "无偿献血次数", "Blood donations"},
		{"unpaid_wages", "拖欠农民工工资金额", "Unpaid migrant workers' wages"},
		{"damage", "损坏公共财产金额", "Damage to public property"},
		{"social_insurance_months", "未缴社会保险费月数", "Months of unpaid social insurance"},
		{"fraud_cases", "保险诈骗次数", "Cases of insurance fraud"},
		{"no_health_certificate", "无健康证从事食品经营", "Food handling without a health certificate"},
		{"education_hours", "诚信教育学时", "Hours of good faith training"},
		{"damaged", "損壞公共財產金額", "Damaged property value"},
	}
	for _, f := range facts {
		t.Run(f.name, func(t *testing.T) {
			_, rep := rulebook.Load("test.yaml", []byte(factRule(fmt.Sprintf("%s: {type: integer, title: {zh: %q, en: %q}}", f.name, f.zh, f.en))))
			if len(rep) > 0 {
				t.Errorf("got problems %v, want none", rep)
			}
		})
	}
}

// TestForbiddenListWellFormed: the embedded list parses (every kind named,
// explained and based in law, no word twice, at least one kind that needs
// consent), every fold entry is used, and a malformed list is refused.
func TestForbiddenListWellFormed(t *testing.T) {
	d := mustForbidden(t)
	if len(d.Kinds) < 6 {
		t.Errorf("got %d kinds, want at least 6 (religion, genes, fingerprints, blood type, illness, means)", len(d.Kinds))
	}
	consent := 0
	var used strings.Builder
	for _, k := range d.Kinds {
		if k.Name.Zh == "" || k.Name.En == "" || k.Why == "" || k.Basis.Zh == "" || k.Basis.En == "" {
			t.Errorf("kind %+v lacks a name, a reason or a basis", k.Name)
		}
		if k.Consent {
			consent++
		}
		used.WriteString(strings.Join(k.Zh, "") + strings.Join(k.Allow, ""))
	}
	if consent == 0 {
		t.Error("no kind needs consent; want income and property to")
	}
	for from, to := range d.Fold {
		if !strings.ContainsRune(used.String(), to) {
			t.Errorf("fold %c -> %c: no word or allowed phrase uses %c", from, to, to)
		}
	}
	const good = "data:\n  - name: {zh: 血型, en: blood type}\n    why: private\n    basis: {zh: 条例, en: Regulations}\n    zh: [血型]\n    en: [blood type]\nfold:\n  紋: 纹\n"
	if _, err := rulebook.ParseForbidden([]byte(good)); err != nil {
		t.Fatalf("a good list: got %v, want no error", err)
	}
	for name, src := range map[string]string{
		"word twice":    strings.Replace(good, "[血型]", "[血型, 血型]", 1),
		"no basis":      strings.Replace(good, "    basis: {zh: 条例, en: Regulations}\n", "", 1),
		"unknown field": strings.Replace(good, "    why:", "    note: x\n    why:", 1),
		"no kinds":      "data: []\n",
		"fold chain":    good + "  綫: 紋\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := rulebook.ParseForbidden([]byte(src)); err == nil {
				t.Errorf("got no error, want one for:\n%s", src)
			}
		})
	}
}

// TestDiffFactConsent: declaring that a fact needs the subject's consent
// is a change of the rule's facts that the diff shows.
func TestDiffFactConsent(t *testing.T) {
	old := mustLoad(t, factRule("n: {type: integer, max: 10}"))
	new := mustLoad(t, factRule("n: {type: integer, max: 10, requires_consent: true}"))
	checkChanges(t, rulebook.Diff(old, new), []rulebook.Change{{Kind: rulebook.Changed, Code: "littering", Fields: []rulebook.FieldChange{
		{Field: "facts", Old: "n: integer, max 10", New: "n: integer, max 10, requires consent"}}}})
}
