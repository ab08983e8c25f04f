package rulebook

import (
	"fmt"
	"strings"
)

// A scheme scores conduct that courts and regulators already judge, or good
// deeds. It must never score the exercise of a right: petitioning the
// authorities, speaking or posting online, religion or belief, assembly,
// talking to the press, or the size of one's family. Scoring these turns a
// compliance tool into political control (Rongcheng deducted 10 points per
// "repeated" online petition; one man lost 950 points for 95 letters).
//
// Load refuses any rule whose code, title, category (code or title), fact
// names or fact titles contain a word of protected.yaml, which lists each
// activity with its words, the reason and the law that protects it.
// English words match whole words, case-insensitive; Chinese words match
// anywhere, however the text is typed (see reading). The list errs towards
// refusing: a scheme that needs a refused word for an ordinary rule should
// reword the rule.

// words lower-cases s and turns every run of characters other than ASCII
// letters and digits into one space, with a space at each end, so that
// " petition " finds the whole word.
func words(s string) string {
	var b strings.Builder
	b.WriteByte(' ')
	space := true
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			space = false
		} else if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// protectedMatch returns the protected activity that s names, the word
// that matched and, when it differs, how s wrote it.
func protectedMatch(s string) (activity wordList, word, written string, ok bool) {
	r := protected.read(s)
	for _, a := range protected.Activities {
		if word, written, ok := a.match(r); ok {
			return a, word, written, true
		}
	}
	return wordList{}, "", "", false
}

// protected reports a rule whose code, title, category or facts (names or titles)
// target a protected activity: one error per rule, at the first match.
func (l *loader) protected(m fields, r *Rule, b *Book) {
	type place struct {
		field, text string
		line        int
	}
	at := func(name string) int {
		if e, ok := m.get(name); ok {
			return e.key.Line
		}
		return r.Line
	}
	in := func(name, key string) int {
		if e, ok := m.get(name); ok {
			return keyLine(e.val, key, e.key.Line)
		}
		return r.Line
	}
	places := []place{
		{"code", r.Code, at("code")},
		{"title.zh", r.Title.Zh, in("title", "zh")},
		{"title.en", r.Title.En, in("title", "en")},
		{"category", r.Category, at("category")},
	}
	if c, ok := b.Category(r.Category); ok {
		places = append(places,
			place{"category", c.Title.Zh, at("category")},
			place{"category", c.Title.En, at("category")})
	}
	for _, f := range r.Facts {
		line := in("facts", f.Name)
		places = append(places, place{"facts." + f.Name, f.Name, line},
			place{"facts." + f.Name + ".title.zh", f.Title.Zh, line},
			place{"facts." + f.Name + ".title.en", f.Title.En, line})
	}
	for _, p := range places {
		if a, word, written, ok := protectedMatch(p.text); ok {
			l.policyf(p.line, p.field, "%s", protectedMessage(a, word, written))
			return
		}
	}
}

// protectedMessage explains a refusal in Chinese, then in English: the
// word as listed (and as written, when that differs), the activity and
// the law that protects it.
func protectedMessage(a wordList, word, written string) string {
	zhWritten, enWritten := "", ""
	if written != "" {
		zhWritten = fmt.Sprintf("（原文作%q）", written)
		enWritten = fmt.Sprintf("written %q; ", written)
	}
	return fmt.Sprintf("%q%s针对受保护的活动（%s），积分方案不得对其计分；依据：%s / "+
		"%q targets a protected activity (%s); a scheme may not score it; %sprotected by %s",
		word, zhWritten, a.Name.Zh, a.Basis.Zh, word, a.Name.En, enWritten, a.Basis.En)
}
