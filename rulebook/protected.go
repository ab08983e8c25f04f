package rulebook

import "strings"

// A scheme scores conduct that courts and regulators already judge, or good
// deeds. It must never score the exercise of a right: petitioning the
// authorities, speaking or posting online, religion or belief, assembly,
// talking to the press, or the size of one's family. Scoring these turns a
// compliance tool into political control (Rongcheng deducted 10 points per
// "repeated" online petition; one man lost 950 points for 95 letters).
//
// Load refuses any rule whose code, title, category (code or title) or fact
// names contain one of the keywords below. English keywords match whole
// words, case-insensitive, after every character other than an ASCII letter
// or digit becomes a space (so the code "petition.repeat" reads as
// "petition repeat"); each inflection is listed, since "press" must not
// match "pressure". Chinese keywords match as substrings.
//
// The list errs towards refusing: a scheme that needs a refused word for an
// ordinary rule should reword the rule. The few ordinary phrases that
// contain a keyword are listed in benignPhrases. Words with a common
// ordinary sense are left out on purpose: "complaint" and 投诉 (a verified
// customer complaint is a fair ground for a market rating), 教会 (also "to
// teach") and 礼拜 (also "week").

// protectedActivity is one protected activity and the words that name it.
type protectedActivity struct {
	name string   // how messages name the activity
	en   []string // English words and phrases, matched as whole words
	zh   []string // Chinese keywords, matched as substrings
}

var protectedActivities = []protectedActivity{
	{
		name: "petitions or complaints to the authorities",
		en: []string{"petition", "petitions", "petitioned", "petitioning", "petitioner", "petitioners",
			"letters and visits", "complaint to authorities", "complaints to authorities",
			"complaint to the authorities", "complaints to the authorities"},
		zh: []string{"上访", "信访", "缠访", "闹访", "访民"},
	},
	{
		name: "speech or online posts",
		en: []string{"speech", "speeches", "online post", "online posts", "online posting",
			"posting online", "post online", "internet post", "internet posts", "online comment",
			"online comments", "blog", "blogs", "blogging", "weibo"},
		zh: []string{"言论", "发帖", "帖子", "网帖", "微博", "网上发表"},
	},
	{
		name: "religion or belief",
		en: []string{"religion", "religions", "religious", "worship", "worships", "worshipping",
			"worshiping", "worshipper", "worshippers", "belief", "beliefs", "faith", "faiths",
			"church", "churches", "mosque", "mosques", "prayer", "prayers"},
		zh: []string{"宗教", "信仰", "信教", "教堂", "清真寺"},
	},
	{
		name: "assembly or protest",
		en: []string{"assembly", "assemblies", "protest", "protests", "protested", "protesting",
			"protester", "protesters", "protestor", "protestors", "demonstration", "demonstrations",
			"demonstrator", "demonstrators", "rally", "rallies", "sit in"},
		zh: []string{"集会", "游行", "示威", "静坐"},
	},
	{
		name: "contact with journalists or foreign media",
		en: []string{"journalist", "journalists", "journalism", "reporter", "reporters", "press",
			"media", "interview", "interviews", "interviewed"},
		zh: []string{"记者", "媒体", "外媒", "采访"},
	},
	{
		name: "family size",
		en: []string{"family size", "extra child", "extra children", "excess birth", "excess births",
			"over quota birth", "over quota births", "unplanned birth", "unplanned births",
			"family planning", "birth quota", "second child", "third child"},
		zh: []string{"超生", "生育", "计生", "二胎", "三胎"},
	},
}

// benignPhrases are ordinary phrases that contain an English keyword. They
// are removed before matching: "good faith" in a contract rule is not about
// religion, and a "demonstration household" (示范户) is a model household.
var benignPhrases = []string{
	"good faith", "bad faith",
	"demonstration household", "demonstration households",
	"demonstration village", "demonstration villages",
	"demonstration farm", "demonstration project", "demonstration site", "demonstration zone",
	"assembly line",
}

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

// protectedMatch returns the protected activity that s names and the
// keyword that matched.
func protectedMatch(s string) (activity, keyword string, ok bool) {
	w := words(s)
	for _, p := range benignPhrases {
		w = strings.ReplaceAll(w, " "+p+" ", " ")
	}
	for _, a := range protectedActivities {
		for _, k := range a.en {
			if strings.Contains(w, words(k)) {
				return a.name, k, true
			}
		}
		for _, k := range a.zh {
			if strings.Contains(s, k) {
				return a.name, k, true
			}
		}
	}
	return "", "", false
}

// protected reports a rule whose code, title, category or fact names
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
		places = append(places, place{"facts." + f.Name, f.Name, in("facts", f.Name)})
	}
	for _, p := range places {
		if activity, word, ok := protectedMatch(p.text); ok {
			l.errorf(p.line, p.field, "%q targets a protected activity (%s); a scheme may not score it", word, activity)
			return
		}
	}
}
