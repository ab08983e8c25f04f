package web

import (
	"html/template"
	"net/url"
	"strconv"
)

// pageSize is how many entries one page of a list on a reviewer's or a
// recorder's page shows.
const pageSize = 20

// pager is one page of a list: which page of how many, and the links to
// the pages before and after it ("" at either end), which keep every
// other parameter of the page, so that paging one list leaves the others
// where they were.
type pager struct {
	Page, Pages, Total int
	Prev, Next         template.URL
}

// paged cuts the page asked for in the parameter param of state out of
// all (1 when absent or beyond the ends) and links to its neighbours on
// path, at the anchor. all must come in a stable order, as the ledger
// lists.
func paged[T any](all []T, path string, state url.Values, param, anchor string) ([]T, pager) {
	p := pager{Total: len(all), Pages: max(1, (len(all)+pageSize-1)/pageSize)}
	p.Page, _ = strconv.Atoi(plain(state.Get(param)))
	p.Page = min(max(p.Page, 1), p.Pages)
	link := func(page int) template.URL {
		v := url.Values{}
		for k, vs := range state {
			v[k] = vs
		}
		v.Set(param, strconv.Itoa(page))
		return template.URL(path + "?" + v.Encode() + "#" + anchor)
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	from := (p.Page - 1) * pageSize
	return all[from:min(from+pageSize, len(all))], p
}
