package web

import (
	"net/http"

	"github.com/tallycredit/tally/catalog"
)

// languages are the page languages, Simplified Chinese first.
var languages = catalog.Languages

// langCookie keeps the language a person chose with the switch.
const langCookie = "tally_lang"

// pageLanguage is the language chosen with the switch, else the
// browser's preference, else Chinese.
func pageLanguage(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		for _, l := range languages {
			if c.Value == l {
				return l
			}
		}
	}
	return catalog.Negotiate(r.Header.Get("Accept-Language"))
}
