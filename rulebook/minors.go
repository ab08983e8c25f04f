package rulebook

import "github.com/tallycredit/tally"

// Minors are never scored: the ledger refuses to score a person before
// their 18th birthday, and a rule written about minors is refused at load,
// so that a scheme cannot even say it means to. A rule is refused when its
// code, title, category or fact names contain one of these words (matched
// as protected activities are: English whole words, Chinese words however
// typed).
// "child" and 子女 are left out on purpose: "a child serving in the army"
// is an adult son or daughter.
var minorWords = mustCompile(wordList{
	Name: tally.Text{Zh: "未成年人", En: "minors"},
	En: []string{"minors", "minor child", "minor children", "juvenile", "juveniles", "underage", "under age",
		"schoolchild", "schoolchildren", "pupil", "pupils", "teenager", "teenagers", "kindergarten"},
	Zh: []string{"未成年", "少年", "儿童", "小学生", "中学生", "幼儿", "学童"},
})

// minors reports a rule that scores minors: one error per rule.
func (l *loader) minors(m fields, r *Rule, b *Book) {
	texts := []struct{ field, text, key string }{
		{"code", r.Code, "code"}, {"title.zh", r.Title.Zh, "title"}, {"title.en", r.Title.En, "title"}, {"category", r.Category, "category"},
	}
	if c, ok := b.Category(r.Category); ok {
		texts = append(texts, struct{ field, text, key string }{"category", c.Title.Zh + " " + c.Title.En, "category"})
	}
	for _, f := range r.Facts {
		texts = append(texts, struct{ field, text, key string }{"facts." + f.Name, f.Name, "facts"})
	}
	for _, t := range texts {
		if word, _, ok := minorWords.match(protected.read(t.text)); ok {
			line := r.Line
			if e, ok := m.get(t.key); ok {
				line = e.key.Line
			}
			l.policyf(line, t.field, "%q: a rule may not score minors (people under 18 are never scored)", word)
			return
		}
	}
}

// mustCompile prepares a word list written in Go for matching.
func mustCompile(l wordList) wordList {
	if err := protected.compile(&l); err != nil {
		panic("rulebook: " + l.Name.En + ": " + err.Error())
	}
	return l
}
