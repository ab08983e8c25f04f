package rulebook_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// TestLoadFormat shows that each malformed field is reported with the file,
// the line and (inside a rule) the rule code.
func TestLoadFormat(t *testing.T) {
	tests := []problemCase{
		// YAML itself.
		{name: "syntax error", src: "scheme: test\n  name: Test #<\n", msg: "YAML syntax: mapping values are not allowed"},
		{name: "tab indentation", src: "scheme: test\nname:\n\tzh: 测试 #<\n", msg: "YAML syntax"},
		{name: "alias", src: "scheme: &s test\nname: *s #<\n", msg: "aliases"},
		{name: "two documents", src: doc(award) + "--- #<\nscheme: other\n", msg: "one YAML document"},
		{name: "not a mapping", src: "- scheme #<\n", msg: "want a mapping"},

		// Top-level fields.
		{name: "unknown top-level field", src: doc(award, "^colour: red"), field: "colour", msg: "unknown field"},
		{name: "duplicate top-level field", src: strings.Replace(doc(award), "base: 0\n", "base: 0\nbase: 5 #<\n", 1),
			field: "base", msg: "given twice (first at line 4)"},
		{name: "missing scheme", src: doc(award, "-^scheme"), field: "scheme", msg: "missing"},
		{name: "missing base", src: doc(award, "-^base"), field: "base", msg: "missing"},
		{name: "missing effective", src: doc(award, "-^effective"), field: "effective", msg: "missing"},
		{name: "missing rules", src: "scheme: test #<\n", field: "rules", msg: "missing"},
		{name: "empty rules", src: strings.Replace(doc(""), "rules:", "rules: [] #<", 1), field: "rules", msg: "non-empty list"},
		{name: "scheme format", src: doc(award, "^scheme: Test_Scheme"), field: "scheme", msg: "lower-case"},
		{name: "scheme too long", src: doc(award, "^scheme: "+strings.Repeat("a", 65)), field: "scheme", msg: "at most 64"},
		{name: "name without en", src: doc(award, "^name: {zh: 测试积分}"), field: "name.en", msg: "missing"},
		{name: "name empty zh", src: doc(award, `^name: {zh: "", en: Test}`), field: "name.zh", msg: "empty"},
		{name: "name not a mapping", src: doc(award, "^name: Test"), field: "name", msg: "want a mapping"},
		{name: "unknown subject", src: doc(award, "^subjects: [robot]"), field: "subjects[0]", msg: "want person or organisation"},
		{name: "subject twice", src: doc(award, "^subjects: [person, person]"), field: "subjects[1]", msg: "twice"},
		{name: "no subjects", src: doc(award, "^subjects: []"), field: "subjects", msg: "non-empty list"},
		{name: "base not an integer", src: doc(award, "^base: lots"), field: "base", msg: "want an integer"},
		{name: "base a decimal", src: doc(award, "^base: 2.5"), field: "base", msg: "want an integer"},
		{name: "bad date", src: doc(award, "^effective: 2025-02-30"), field: "effective", msg: "YYYY-MM-DD"},
		{name: "date with time", src: doc(award, "^effective: 2025-01-01T08:00:00Z"), field: "effective", msg: "YYYY-MM-DD"},
		{name: "unknown timezone", src: doc(award, "^timezone: Mars/Olympus"), field: "timezone", msg: "unknown time zone"},
		{name: "local timezone", src: doc(award, "^timezone: Local"), field: "timezone", msg: "depends on the machine"},
		{name: "board flag zero", src: doc(award, "^board: {star: 1, flag: 0}"), field: "board.flag", msg: "positive"},
		{name: "board missing star", src: doc(award, "^board: {flag: 6}"), field: "board.star", msg: "missing"},
		{name: "board unknown field", src: doc(award, "^board: {star: 1, flag: 6, moon: 2}"), field: "board.moon", msg: "unknown field"},
		{name: "category code format", src: strings.Replace(doc(award), "  good:", "  Good Deeds: #<\n  good:", 1),
			field: "categories.Good Deeds", msg: "lower-case"},
		{name: "category without en", src: strings.Replace(doc(award), "bad: {zh: 违约, en: Misconduct}", "bad: {zh: 违约} #<", 1),
			field: "categories.bad.en", msg: "missing"},

		// Grades.
		{name: "grades not decreasing",
			src:   doc(award, "^grades:\n  - {grade: A, min: 100}\n  - {grade: B, min: 100} #<"),
			field: "grades[1].min", msg: "not below the previous"},
		{name: "grades increasing",
			src:   doc(award, "^grades:\n  - {grade: A, min: 10}\n  - {grade: B, min: 20} #<"),
			field: "grades[1].min", msg: "highest first"},
		{name: "grade twice",
			src:   doc(award, "^grades:\n  - {grade: A, min: 100}\n  - {grade: A, min: 50} #<"),
			field: "grades[1].grade", msg: "defined twice"},
		{name: "only the last grade may omit min",
			src:   doc(award, "^grades:\n  - {grade: A} #<\n  - {grade: B, min: 50}"),
			field: "grades[0].min", msg: "only the last"},
		{name: "grade unknown field",
			src:   doc(award, "^grades:\n  - {grade: A, max: 100} #<"),
			field: "grades[0].max", msg: "unknown field"},

		// Rule fields.
		{name: "unknown rule field", src: doc(award, "pionts: 3"), rule: "tidy", field: "pionts", msg: "unknown field"},
		{name: "unknown cap field", src: doc(award, "cap: {points: 1, per: day, every: 2}"), rule: "tidy", field: "cap.every", msg: "unknown field"},
		{name: "missing rule code", src: strings.Replace(doc(award), "  - code: tidy\n    title: {zh: 庭院整洁, en: Tidy courtyard}", "  - title: {zh: 庭院整洁, en: Tidy courtyard} #<", 1),
			rule: "#1", field: "code", msg: "missing"},
		{name: "rule code format", src: doc(award, "code: Tidy Courtyard"), rule: "Tidy Courtyard", field: "code", msg: "lower-case"},
		{name: "rule code double dot", src: doc(award, "code: tidy..yard"), rule: "tidy..yard", field: "code", msg: "single"},
		{name: "duplicate rule code", src: doc(award + strings.Replace(award, "- code: tidy", "- code: tidy #<", 1)),
			rule: "tidy", field: "code", msg: "duplicate rule code (first used at line 10)"},
		{name: "missing title", src: doc(award, "-title"), rule: "tidy", field: "title", msg: "missing"},
		{name: "title without zh", src: doc(award, "title: {en: Tidy courtyard}"), rule: "tidy", field: "title.zh", msg: "missing"},
		{name: "unknown category", src: doc(award, "category: sport"), rule: "tidy", field: "category", msg: `unknown category "sport"`},
		{name: "missing category", src: doc(award, "-category"), rule: "tidy", field: "category", msg: "missing"},
		{name: "missing points", src: doc(award, "-points"), rule: "tidy", field: "points", msg: "missing"},
		{name: "points a list", src: doc(award, "points: [1, 2]"), rule: "tidy", field: "points", msg: "want an integer or an expression"},
		{name: "unknown effect", src: doc(award, "effect: bonus"), rule: "tidy", field: "effect", msg: "want award or deduction"},
		{name: "unknown severity", src: doc(deduction, "severity: grave"), rule: "littering", field: "severity", msg: "want minor, general or serious"},
		{name: "unknown evidence", src: doc(deduction, "evidence: always"), rule: "littering", field: "evidence", msg: "want required or optional"},
		{name: "bad lasts", src: doc(award, "lasts: 1w"), rule: "tidy", field: "lasts", msg: "unit must be d, m or y"},
		{name: "zero lasts", src: doc(award, "lasts: 0d"), rule: "tidy", field: "lasts", msg: "positive"},
		{name: "cap points zero", src: doc(award, "cap: {points: 0, per: day}"), rule: "tidy", field: "cap.points", msg: "positive"},
		{name: "cap negative", src: doc(deduction, "cap: {points: -20, per: month}"), rule: "littering", field: "cap.points", msg: "positive"},
		{name: "cap unknown period", src: doc(award, "cap: {points: 1, per: week}"), rule: "tidy", field: "cap.per", msg: "day, month or year"},
		{name: "cap without per", src: doc(award, "cap: {points: 1}"), rule: "tidy", field: "cap.per", msg: "missing"},
		{name: "cap a number", src: doc(award, "cap: 5"), rule: "tidy", field: "cap", msg: "want a mapping"},
		{name: "basis empty", src: doc(deduction, `basis: ""`), rule: "littering", field: "basis", msg: "empty"},
		{name: "basis in one language", src: doc(deduction, "basis: Village covenant"), rule: "littering", field: "basis", msg: "only one language", warning: true},
		{name: "basis without en", src: doc(deduction, "basis: {zh: 村规民约} #<"), rule: "littering", field: "basis.en", msg: "missing"},
		{name: "basis a list", src: doc(deduction, "basis: [村规民约]"), rule: "littering", field: "basis", msg: "want text"},

		// Facts.
		{name: "unknown fact type", src: doc(award, "facts: {hours: float}"), rule: "tidy", field: "facts.hours", msg: "unknown fact type"},
		{name: "fact name reserved", src: doc(award, "facts: {in: number}"), rule: "tidy", field: "facts.in", msg: "not a usable fact name"},
		{name: "fact name format", src: doc(award, "facts: {Hours: number}"), rule: "tidy", field: "facts.Hours", msg: "not a usable fact name"},
		{name: "fact min on text", src: doc(award, "facts: {who: {type: text, min: 1}}"), rule: "tidy", field: "facts.who.min", msg: "only a number or integer"},
		{name: "fact min above max", src: doc(award, "facts: {n: {type: integer, min: 5, max: 1}}"), rule: "tidy", field: "facts.n", msg: "above max"},
		{name: "fact unknown field", src: doc(award, "facts: {n: {type: integer, step: 1}}"), rule: "tidy", field: "facts.n.step", msg: "unknown field"},
		{name: "fact without type", src: doc(award, "facts: {n: {min: 1}}"), rule: "tidy", field: "facts.n.type", msg: "missing"},
		{name: "fact unit one language", src: doc(award, "facts: {n: {type: integer, unit: {en: hours}}}"), rule: "tidy", field: "facts.n.unit.zh", msg: "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// TestLoadPoints shows how points and effect are checked, and that CEL
// compile and type errors are reported at Load with the rule and the line
// of the points field.
func TestLoadPoints(t *testing.T) {
	tests := []problemCase{
		{name: "zero points", src: doc(award, "points: 0"), rule: "tidy", field: "points", msg: "0 points does nothing"},
		{name: "literal sign against effect", src: doc(award, "effect: deduction"), rule: "tidy", field: "effect", msg: "points 1 make it an award"},
		{name: "expression without effect", src: doc(award, "facts: {hours: number}", "points: hours / 4 #<"),
			rule: "tidy", field: "effect", msg: "must say award or deduction"},
		{name: "syntax error", src: doc(award, "facts: {hours: number}", "effect: award", "points: hours * #<"),
			rule: "tidy", field: "points", msg: "Syntax error"},
		{name: "undeclared fact", src: doc(award, "effect: award", "points: hours / 4 #<"),
			rule: "tidy", field: "points", msg: "undeclared reference to 'hours'"},
		{name: "type error", src: doc(award, "facts: {hours: number, who: text}", "effect: award", "points: hours + who #<"),
			rule: "tidy", field: "points", msg: "no matching overload"},
		{name: "text result", src: doc(award, "facts: {who: text}", "effect: award", "points: who #<"),
			rule: "tidy", field: "points", msg: "gives a string; it must give a number"},
		{name: "bool result", src: doc(award, "facts: {hours: number}", "effect: award", "points: hours > 4 #<"),
			rule: "tidy", field: "points", msg: "gives a bool"},
		{name: "macros are off", src: doc(award, "effect: award", "points: \"[1, 2].exists(x, x > 1) ? 1 : 0\" #<"),
			rule: "tidy", field: "points", msg: "undeclared reference"},
		{name: "quoted decimal needs effect", src: doc(award, `points: "2.5"`), rule: "tidy", field: "effect", msg: "must say award or deduction"},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// TestLoadExpressions shows which points expressions compile.
func TestLoadExpressions(t *testing.T) {
	tests := []struct {
		expr  string
		facts string
	}{
		{"hours / 4", "{hours: number}"},
		{"4 * hours - 1", "{hours: number}"},
		{"hours * 0.5 + n", "{hours: number, n: integer}"},
		{"n / 2.0", "{n: integer}"},
		{"n % 3", "{n: integer}"},
		{"-n", "{n: integer}"},
		{"hours > 2 ? 3 : 0", "{hours: number}"},
		{"n >= 2.5 ? 1 : 2", "{n: integer}"},
		{"done && who == 'me' ? 1 : 0", "{done: bool, who: text}"},
		{"int(hours) * 2", "{hours: number}"},
		{"size(who)", "{who: text}"},
		{"size * 2", "{size: number}"},
		{"double(n) / 2", "{n: integer}"},
		{"who.startsWith('x') || who.contains('y') ? 1 : 0", "{who: text}"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			mustLoad(t, doc(award, "facts: "+tt.facts, "effect: award", `points: "`+tt.expr+`"`))
		})
	}
}

// TestLoadBook shows the fields of a loaded book.
func TestLoadBook(t *testing.T) {
	src := doc(award,
		"^timezone: Europe/London",
		"^board: {star: 2, flag: 5}",
		"^grades:\n  - {grade: A, min: 100}\n  - {grade: B, min: 50}\n  - {grade: C}",
		"^subjects: [person, organisation]",
		"^base: 60")
	b := mustLoad(t, src)
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2025, 1, 1, 0, 0, 0, 0, london); !b.Effective.Equal(want) || b.Location.String() != "Europe/London" {
		t.Errorf("got Effective %v in %v, want %v", b.Effective, b.Location, want)
	}
	if got, want := b.Board, (&tally.Board{Star: 2, Flag: 5}); got == nil || *got != *want {
		t.Errorf("got Board %v, want %v", got, want)
	}
	if b.Scheme != "test" || b.Base != 60 || b.Name.En != "Test points" || b.Name.Zh != "测试积分" {
		t.Errorf("got scheme %q base %d name %v", b.Scheme, b.Base, b.Name)
	}
	if string(b.Source) != src {
		t.Errorf("got Source %q, want the file as given", b.Source)
	}
	for _, tt := range []struct {
		score int64
		want  string
	}{{150, "A"}, {100, "A"}, {99, "B"}, {50, "B"}, {49, "C"}, {-1000, "C"}} {
		if got := b.Grade(tt.score); got != tt.want {
			t.Errorf("Grade(%d): got %q, want %q", tt.score, got, tt.want)
		}
	}
	if !b.Accepts(tally.Person) || !b.Accepts(tally.Organisation) {
		t.Errorf("got Accepts false for a scheme of persons and organisations")
	}
	if c, ok := b.Category("good"); !ok || c.Title.En != "Good deeds" {
		t.Errorf("Category(good): got %v, %v", c, ok)
	}
	if _, ok := b.Category("sport"); ok {
		t.Errorf("Category(sport): got ok, want not found")
	}
	if _, ok := b.Rule("nothing"); ok {
		t.Errorf("Rule(nothing): got ok, want not found")
	}
	r := mustRule(t, b, "tidy")
	want := rulebook.Rule{Code: "tidy", Category: "good", Points: "1", Effect: rulebook.Award,
		Lasts: tally.Span{N: 1, Unit: tally.Year}, Line: 1 + strings.Count(src[:strings.Index(src, "- code: tidy")], "\n")}
	if r.Code != want.Code || r.Category != want.Category || r.Points != want.Points || r.Effect != want.Effect ||
		r.Lasts != want.Lasts || r.Line != want.Line || r.Cap == nil || *r.Cap != (tally.Cap{Points: 1, Per: tally.Month}) {
		t.Errorf("got rule %+v (cap %v), want %+v", *r, r.Cap, want)
	}
}

// TestLoadDefaults shows the defaults: Asia/Shanghai, no board, no grades,
// forever for an award without lasts, optional evidence.
func TestLoadDefaults(t *testing.T) {
	b := mustLoad(t, doc(award, "-lasts"))
	if got := b.Location.String(); got != rulebook.DefaultTimezone {
		t.Errorf("got Location %s, want %s", got, rulebook.DefaultTimezone)
	}
	shanghai := time.FixedZone("CST", 8*3600)
	if want := time.Date(2025, 1, 1, 0, 0, 0, 0, shanghai); !b.Effective.Equal(want) {
		t.Errorf("got Effective %v, want %v", b.Effective, want)
	}
	if b.Board != nil || b.Grades != nil || b.Grade(1000) != "" {
		t.Errorf("got Board %v, Grades %v, want none", b.Board, b.Grades)
	}
	if b.Accepts(tally.Organisation) {
		t.Errorf("got Accepts(organisation) true for a scheme of persons")
	}
	r := mustRule(t, b, "tidy")
	if !r.Lasts.IsZero() || r.EvidenceRequired || r.Severity != "" {
		t.Errorf("got Lasts %v, EvidenceRequired %v, Severity %q; want forever, false, none", r.Lasts, r.EvidenceRequired, r.Severity)
	}
}

// TestLoadReportsEveryProblem shows that Load does not stop at the first
// problem, and reports them in file order.
func TestLoadReportsEveryProblem(t *testing.T) {
	src := doc(deduction+award, "^base: lots", "-basis", "pionts: 2")
	_, rep := rulebook.Load("test.yaml", []byte(src))
	var got []string
	for _, p := range rep.Errors() {
		got = append(got, p.Field)
	}
	want := []string{"base", "basis", "pionts"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("got error fields %v, want %v\n%v", got, want, rep)
	}
	for i := 1; i < len(rep); i++ {
		if rep[i].Line < rep[i-1].Line {
			t.Errorf("got line %d after line %d, want file order", rep[i].Line, rep[i-1].Line)
		}
	}
}

// TestLoadNoCategories shows that a rule naming a category is refused when
// no categories are declared.
func TestLoadNoCategories(t *testing.T) {
	src := strings.Replace(doc(award, "category: good #<"), "categories:\n  good: {zh: 好事, en: Good deeds}\n  bad: {zh: 违约, en: Misconduct}\n", "categories: {}\n", 1)
	problemCase{src: src, rule: "tidy", field: "category", msg: `unknown category "good"`}.check(t)
}
