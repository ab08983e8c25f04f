package demo

import (
	"net/url"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
)

// Stop is one place in the demo where a part of tally is seen: what it
// shows, in Chinese and English from the catalogue; where it is, a page
// or, for what has no page, a tally command; whom to sign in as; and a
// text to look for.
type Stop struct {
	What    tally.Text `json:"what"`
	Path    string     `json:"path,omitempty"`    // a page of the demo's server
	Command string     `json:"command,omitempty"` // or the arguments of a tally command, run on the demo database
	Account string     `json:"account,omitempty"` // a demo account's name; "" is a public page
	Look    tally.Text `json:"look"`              // a text the page or command shows, in the reader's language
	Absent  string     `json:"absent,omitempty"`  // a name the page must not show
}

// In returns what the stop shows in lang ("zh" or "en"), Chinese unless
// English is asked.
func (s Stop) In(lang string) string { return s.What.In(lang) }

// messages is the catalogue the tour's texts come from.
var messages = catalog.MustLoad()

// textOf is a catalogue text in both languages.
func textOf(key string, args ...any) tally.Text {
	return tally.Text{Zh: messages.In("zh").Text(key, args...), En: messages.In("en").Text(key, args...)}
}

// same is a text the page shows alike in both languages: a name, a case
// number, a resident's own words.
func same(s string) tally.Text { return tally.Text{Zh: s, En: s} }

// CalendarYear is the year of the working-day calendar the tour shows:
// the one tally has built in.
const CalendarYear = "2026"

// stop is a page stop whose text is the catalogue's demo.tour.<key>.
func stop(key, path, account string, look tally.Text) Stop {
	return Stop{What: textOf("demo.tour." + key), Path: path, Account: account, Look: look}
}

// sights are the names and texts the showcase made, for the tour to point
// at.
type sights struct {
	period, onBoard, hidden string
	reward, market          tally.Text
	clerkAdded              string // the villager the clerk added
	clerkSubject            int64  // their subject id, for the consents page
	waitingRepair           string // the obligations of the repair that waits
}

// tour lists where each part of the demo is seen (the commitments' stop
// is added by who signs them).
func tour(s sights) []Stop {
	board := "/schemes/" + village + "/board/" + s.period
	review := "/review?scheme=" + village
	people := "/people?" + url.Values{"scheme": {village}, "q": {s.clerkAdded}}.Encode()
	boardStop := stop("board", board, "", same(s.onBoard))
	boardStop.Absent = s.hidden
	return []Stop{
		boardStop,
		stop("sheet", "/closes/"+village+"/"+s.period, "admin", s.reward),
		stop("people", people, "recorder", same(s.clerkAdded)),
		stop("consents", consentsPath(s.clerkSubject), "recorder", textOf("consent.publication_on")),
		stop("court_list", "/me", "resident", same(CaseNumber)),
		stop("denied_check", "/me", "resident", tally.Text{Zh: CheckedMeasure + "：拒绝", En: CheckedMeasure + ": denied"}),
		stop("notice", "/me#notices", "resident", textOf("me.notice_acknowledge")),
		stop("report", "/me", "resident", textOf("me.report")),
		stop("disputed", "/me", "resident", textOf("disputed")),
		stop("objection_decided", "/me", "resident", same(DecisionReasons)),
		stop("repair_decided", "/me", "resident", same(RepairReasons)),
		stop("objection_open", review, "reviewer", same(OpenGrounds)),
		stop("repair_open", review, "reviewer", same(s.waitingRepair)),
		stop("appeal", review, "admin", same(AppealGrounds)),
		stop("kiosk", "/kiosk", "", textOf("kiosk.title")),
		stop("kiosk_codes", "/kiosk/codes", "admin", textOf("kioskcodes.title")),
		stop("market", "/schemes/market-stars", "", s.market),
		{What: textOf("demo.tour.calendar"), Command: "calendar show " + CalendarYear, Look: same(CalendarYear + ":")},
	}
}

// consentsPath is the clerk's page of a villager's consents.
func consentsPath(subject int64) string {
	return "/people/" + village + "/" + strconv.FormatInt(subject, 10)
}
