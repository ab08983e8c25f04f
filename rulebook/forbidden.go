package rulebook

import (
	_ "embed"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// A rule's facts are what a record collects about a subject. The Credit
// Reporting Industry Regulations (art. 14) forbid collecting religion,
// genes, fingerprints, blood type, illness and medical history, and allow
// income, deposits, securities, insurance and property only with the
// subject's informed written consent. Load refuses a fact whose name or
// title names such data (forbidden.yaml lists the words, matched as
// protected words are), and a fact of a kind that needs consent unless it
// is declared with requires_consent: true.

// forbiddenYAML is the list of data a scheme may not collect, or only with
// consent; docs/RULEBOOK.md says how to propose a word.
//
//go:embed forbidden.yaml
var forbiddenYAML []byte

// forbidden is the parsed list; a fault in it is a fault of the build.
var forbidden = mustParseForbidden(forbiddenYAML)

// forbiddenKind is one kind of data and the words that name it.
type forbiddenKind struct {
	wordList `yaml:",inline"`
	// Consent is set when the law allows the data with the subject's
	// recorded consent.
	Consent bool
}

// forbiddenData is the file forbidden.yaml: the kinds in the order they
// are matched, and the table that folds traditional and variant
// characters to the simplified ones the words use.
type forbiddenData struct {
	Kinds []forbiddenKind
	Fold  map[rune]rune
}

// parseForbidden parses and checks a list of forbidden data as
// parseProtected checks protected activities.
func parseForbidden(src []byte) (forbiddenData, error) {
	var file struct {
		Data []forbiddenKind
		Fold map[string]string
	}
	if err := decodeStrict(src, &file); err != nil {
		return forbiddenData{}, err
	}
	d := forbiddenData{Kinds: file.Data}
	lists := make([]*wordList, len(d.Kinds))
	for i := range d.Kinds {
		lists[i] = &d.Kinds[i].wordList
	}
	var err error
	d.Fold, err = compileWordFile("kind of data", lists, file.Fold)
	return d, err
}

func mustParseForbidden(src []byte) forbiddenData {
	d, err := parseForbidden(src)
	if err != nil {
		panic("rulebook: forbidden.yaml: " + err.Error())
	}
	return d
}

// reader reads texts with d's fold table.
func (d forbiddenData) reader() protectedWords { return protectedWords{Fold: d.Fold} }

// forbiddenFacts reports each fact of r whose name or title names
// forbidden data, or data that needs consent when the fact does not
// declare requires_consent: one error per fact, at the first kind found.
func (l *loader) forbiddenFacts(m fields, r *Rule) {
	line := r.Line
	facts, haveFacts := m.get("facts")
	for _, f := range r.Facts {
		if haveFacts {
			line = keyLine(facts.val, f.Name, facts.key.Line)
		}
		places := []struct {
			field string
			text  reading
		}{
			{"facts." + f.Name, forbidden.reader().read(f.Name)},
			{"facts." + f.Name + ".title.zh", forbidden.reader().read(f.Title.Zh)},
			{"facts." + f.Name + ".title.en", forbidden.reader().read(f.Title.En)},
		}
	kinds:
		for _, k := range forbidden.Kinds {
			if k.Consent && f.RequiresConsent {
				continue
			}
			for _, p := range places {
				if word, _, ok := k.match(p.text); ok {
					l.policyf(line, p.field, "%s", forbiddenMessage(f.Name, k, word))
					break kinds
				}
			}
		}
	}
}

// forbiddenMessage explains a refusal in Chinese, then in English: the
// fact, the word as listed, the kind of data and the law.
func forbiddenMessage(fact string, k forbiddenKind, word string) string {
	if k.Consent {
		return fmt.Sprintf("事实%q（%q）属于须经信用主体书面同意才能采集的信息（%s）：请在该事实上声明 requires_consent: true，并在采集前取得其书面同意；依据：%s / "+
			"fact %q (%q) collects forbidden data (%s) unless the subject consents: declare requires_consent: true on the fact and obtain the subject's written consent before collecting it; %s",
			fact, word, k.Name.Zh, k.Basis.Zh, fact, word, k.Name.En, k.Basis.En)
	}
	return fmt.Sprintf("事实%q（%q）属于禁止采集的信息（%s），积分方案不得采集；依据：%s / "+
		"fact %q (%q) collects forbidden data (%s); a scheme may not collect it; forbidden by %s",
		fact, word, k.Name.Zh, k.Basis.Zh, fact, word, k.Name.En, k.Basis.En)
}

// requiresConsent reads a fact's optional requires_consent: true or false.
func (l *loader) requiresConsent(fm fields, path string, f *Fact) {
	e, ok := fm.get("requires_consent")
	if !ok {
		return
	}
	if e.val.Kind != yaml.ScalarNode || e.val.ShortTag() != "!!bool" || e.val.Decode(&f.RequiresConsent) != nil {
		l.errorf(e.key.Line, path+".requires_consent", "want true or false, got %s", describe(e.val))
	}
}
