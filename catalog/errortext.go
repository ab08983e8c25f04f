package catalog

import (
	_ "embed"
	"errors"
	"fmt"
	"sync"

	"github.com/tallycredit/tally"
)

// The sentences of errors are not keyed like the other texts: an error is
// made in English from a format (tally.Errorf, tally.FieldErrorf, a
// rulebook problem), and errors/<lang>.json maps each English format to
// the same sentence in lang, with the same arguments (explicit indexes
// such as %[2]s where the word order differs). A format without a
// translation reads in English.

//go:embed errors/zh.json
var zhErrors []byte

// errorFormats returns the translations of error formats into lang, by the
// English format; English needs none and has none.
var errorFormats = sync.OnceValue(func() map[string]Catalogue {
	zh, err := Decode(zhErrors)
	if err != nil {
		panic(fmt.Errorf("errors/zh.json: %w", err))
	}
	return map[string]Catalogue{"zh": zh}
})

// Translator returns the tally.Translator of lang ("zh", "en", or a tag
// starting with either; Chinese when neither).
func Translator(lang string) tally.Translator {
	table := errorFormats()[Pick(lang)]
	var tr tally.Translator
	tr = func(format string, args ...any) string {
		if f, ok := table[format]; ok {
			format = f
		}
		said := make([]any, len(args))
		for i, a := range args {
			if r, ok := a.(tally.Renderer); ok {
				a = r.Render(tr)
			}
			said[i] = a
		}
		return fmt.Sprintf(format, said...)
	}
	return tr
}

// ErrorText says err in lang, as err.Error() says it in English: with the
// line and the input at fault when the error names them. An error that
// cannot say itself in other words (no tally.Renderer in its chain) reads
// as it is.
func ErrorText(lang string, err error) string {
	var r tally.Renderer
	if !errors.As(err, &r) {
		return err.Error()
	}
	return r.Render(Translator(lang))
}

// ErrorDetail says err's message in lang without the line and the input
// at fault of a *tally.Error, for a reader shown those apart (an API
// problem's line and field).
func ErrorDetail(lang string, err error) string {
	var te *tally.Error
	if errors.As(err, &te) {
		return te.Say(Translator(lang))
	}
	return ErrorText(lang, err)
}
