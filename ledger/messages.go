package ledger

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
)

// messages is the message catalogue, read-only, for the texts the ledger
// answers in both languages.
var messages = catalog.MustLoad()

// message is the text of a catalogue key in Chinese and English; an
// argument that is itself a tally.Text is said in each language.
func message(key string, args ...any) tally.Text {
	return inBoth(func(m catalog.Catalogue, lang string) string {
		in := make([]any, len(args))
		for i, a := range args {
			if t, ok := a.(tally.Text); ok {
				a = t.In(lang)
			}
			in[i] = a
		}
		return m.Text(key, in...)
	})
}

// inBoth is a text said in Chinese and in English by say, for texts whose
// arguments are themselves translated.
func inBoth(say func(m catalog.Catalogue, lang string) string) tally.Text {
	return tally.Text{Zh: say(messages.In("zh"), "zh"), En: say(messages.In("en"), "en")}
}
