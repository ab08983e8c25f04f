package tally

import (
	"maps"
	"slices"
)

// DuePreset is a place's due-process rules as a scheme names them: the
// clocks that differ from the defaults, with where they come from.
type DuePreset struct {
	Name   Text
	Source string // the rule, as the domain reference cites it
	apply  func(*DueProcess)
}

// duePresets are the presets of the domain reference (§7, "objection
// clocks"), by the name a rulebook gives. Where the summary leaves a
// choice, the comment says which was made; a clock a preset does not
// name keeps the default.
var duePresets = map[string]DuePreset{
	"national": {Text{Zh: "全国默认", En: "national defaults"}, "domain reference §3, §7", func(*DueProcess) {}},
	// Shandong: 3 working days to acknowledge, 7 to decide.
	"shandong": {Text{Zh: "山东", En: "Shandong"}, "Shandong: acknowledge within 3 working days, decide within 7", func(dp *DueProcess) {
		dp.Acknowledge, dp.Decide = WorkingDays(3), WorkingDays(7)
	}},
	// Shanghai: 1 working day to acknowledge, 5 to decide.
	"shanghai": {Text{Zh: "上海", En: "Shanghai"}, "Shanghai: acknowledge within 1 working day, decide within 5", func(dp *DueProcess) {
		dp.Acknowledge, dp.Decide = WorkingDays(1), WorkingDays(5)
	}},
	// Shenzhen: the item is flagged disputed at once (tally does so in
	// every scheme), checked within 1 working day and answered within 2
	// more: the decision is due 3 working days after the filing.
	"shenzhen": {Text{Zh: "深圳", En: "Shenzhen"}, "Shenzhen: flagged disputed at once, checked within 1 working day, answered within 2 more", func(dp *DueProcess) {
		dp.Acknowledge, dp.Decide = WorkingDays(1), WorkingDays(3)
	}},
	// Zhejiang: decided within 5 working days, at most 20 when extended.
	// tally has no extension: the clock is 5, and a decision after it is
	// overdue (the reviewer records why in the reasons).
	"zhejiang": {Text{Zh: "浙江", En: "Zhejiang"}, "Zhejiang: decide within 5 working days, at most 20 when extended", func(dp *DueProcess) {
		dp.Decide = WorkingDays(5)
	}},
	// The central bank's credit reference centre: 20 days (calendar days,
	// as the Credit Reporting Industry Regulations count a dispute).
	"central-bank": {Text{Zh: "人民银行征信中心", En: "central bank credit reference centre"}, "PBoC Credit Reference Center: decide within 20 days", func(dp *DueProcess) {
		dp.Decide = CalendarDays(20)
	}},
	// Henan: derived entries of a revoked decision go within 1 working day.
	"henan": {Text{Zh: "河南", En: "Henan"}, "Henan: derived credit information corrected within 1 working day of a revocation", func(dp *DueProcess) {
		dp.Cascade = WorkingDays(1)
	}},
}

// DueProcessPreset returns the due-process settings of the named preset:
// the defaults with the place's clocks. ok is false for an unknown name.
func DueProcessPreset(name string) (dp DueProcess, p DuePreset, ok bool) {
	p, ok = duePresets[name]
	if !ok {
		return DueProcess{}, DuePreset{}, false
	}
	dp = DefaultDueProcess()
	p.apply(&dp)
	if name != "national" {
		dp.Preset = name
	}
	return dp, p, true
}

// DuePresetNames returns the names of the presets, sorted.
func DuePresetNames() []string { return slices.Sorted(maps.Keys(duePresets)) }
