package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// maxNoticesShown is how many notices a resident's page lists, newest
// first.
const maxNoticesShown = 50

// noticeView is one notice on a resident's page: told in the page's
// language from what it is about (the notice's own text is in both
// languages at once, for the post), with its acknowledgment.
type noticeView struct {
	tally.Notice
	Record *ledger.Entry // the record a record notice is about, when it is on the page
}

// meNotices lists the resident's newest notices, each with the record it
// is about when the page shows that record.
func (s *Server) meNotices(r *http.Request, v *meView) error {
	records := map[int64]*ledger.Entry{}
	for _, card := range v.Schemes {
		for i := range card.History {
			records[card.History[i].ID] = &card.History[i]
		}
	}
	var all []tally.Notice
	for after := int64(0); ; {
		page, err := s.svc.Outbox(r.Context(), ledger.OutboxQuery{After: after, Limit: ledger.MaxPage})
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(all) > maxNoticesShown {
			all = all[len(all)-maxNoticesShown:]
		}
		if len(page) < ledger.MaxPage {
			break
		}
		after = page[len(page)-1].ID
	}
	slices.Reverse(all)
	for _, n := range all {
		nv := noticeView{Notice: n}
		if n.Kind == tally.NoticeRecord {
			nv.Record = records[n.About]
		}
		v.Notices = append(v.Notices, nv)
	}
	return nil
}

// meAcknowledge records that the resident read one of their notices; a
// notice already acknowledged keeps its first acknowledgment.
func (s *Server) meAcknowledge(w http.ResponseWriter, r *http.Request, q *req) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, err := s.svc.AcknowledgeNotice(r.Context(), id); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	http.Redirect(w, r, "/me#notice-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
