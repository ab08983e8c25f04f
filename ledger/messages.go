package ledger

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
)

// messages is the message catalogue, read-only, for the texts the ledger
// answers in both languages.
var messages = catalog.MustLoad()

// message is the text of a catalogue key in Chinese and English.
func message(key string, args ...any) tally.Text {
	return tally.Text{Zh: messages.In("zh").Text(key, args...), En: messages.In("en").Text(key, args...)}
}
