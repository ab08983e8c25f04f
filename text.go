package tally

// Text is a short text in Chinese and English, such as a rule title. Every
// name a person reads is published in both languages.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// In returns the text in the language whose tag starts with "zh" or "en",
// falling back to whichever language is present.
func (t Text) In(lang string) string {
	if len(lang) >= 2 && lang[:2] == "en" {
		if t.En != "" {
			return t.En
		}
		return t.Zh
	}
	if t.Zh != "" {
		return t.Zh
	}
	return t.En
}

// String returns "zh / en", or the one language present.
func (t Text) String() string {
	switch {
	case t.Zh == "":
		return t.En
	case t.En == "" || t.En == t.Zh:
		return t.Zh
	}
	return t.Zh + " / " + t.En
}
