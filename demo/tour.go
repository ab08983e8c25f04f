package demo

// Stop is one place in the demo's pages: what it shows, in Chinese and
// English, where it is, whom to sign in as, and a text to look for.
type Stop struct {
	Zh      string `json:"zh"`
	En      string `json:"en"`
	Path    string `json:"path"`
	Account string `json:"account,omitempty"` // a demo account's name; "" is a public page
	Look    string `json:"look"`              // a text the page shows
	Absent  string `json:"absent,omitempty"`  // a name the page must not show
}

// In returns what the stop shows in lang ("zh" or "en"), Chinese unless
// English is asked.
func (s Stop) In(lang string) string {
	if lang == "en" {
		return s.En
	}
	return s.Zh
}

// tour lists where each part of the demo is seen.
func tour(period, onBoard, hidden, reward, market string) []Stop {
	board := "/schemes/" + village + "/board/" + period
	return []Stop{
		{Zh: "荣誉榜（只列同意公开的人）", En: "honour board (only those who agreed to be named)", Path: board, Look: onBoard, Absent: hidden},
		{Zh: "已结月份的台账与奖励", En: "closed month: tally sheet and rewards", Path: "/closes/" + village + "/" + period, Account: "admin", Look: reward},
		{Zh: "法院失信名单条目", En: "court list entry", Path: "/me", Account: "resident", Look: CaseNumber},
		{Zh: "被拒绝的核查（已记入查阅记录）", En: "denied check, in the access log", Path: "/me", Account: "resident", Look: CheckedMeasure + "：拒绝"},
		{Zh: "已决定的异议", En: "objection decided", Path: "/me", Account: "resident", Look: DecisionReasons},
		{Zh: "信用修复（已批准）", En: "repair applied and approved", Path: "/me", Account: "resident", Look: RepairReasons},
		{Zh: "待决定的异议", En: "objection awaiting a decision", Path: "/review?scheme=" + village, Account: "reviewer", Look: OpenGrounds},
		{Zh: "二级申诉（须由另一名复核人决定）", En: "second-level appeal (another reviewer decides)", Path: "/review?scheme=" + village, Account: "admin", Look: AppealGrounds},
		{Zh: "商户星级评定", En: "shop star ratings", Path: "/schemes/market-stars", Look: market},
	}
}
