package rulebook_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/rulebook"
)

// withListDue is the default catalogue with a due_process block of its own
// (catalogueBlock, "" for none) and one on the list judgment-defaulters
// (listBlock, "" for none).
func withListDue(t *testing.T, catalogueBlock, listBlock string) string {
	t.Helper()
	src := string(examples.Sanctions)
	if listBlock != "" {
		const at = "  - id: judgment-defaulters\n"
		if !strings.Contains(src, at) {
			t.Fatal("the default catalogue has no judgment-defaulters list")
		}
		src = strings.Replace(src, at, at+"    due_process: "+listBlock+"\n", 1)
	}
	if catalogueBlock != "" {
		src = "due_process: " + catalogueBlock + "\n" + src
	}
	return src
}

// TestCatalogueDueProcess: a catalogue's clocks default to the domain's,
// a catalogue may name a preset for all its lists, and a list may name
// its own; a list without a block keeps the catalogue's. The clocks are
// shared by every list unless one sets its own.
func TestCatalogueDueProcess(t *testing.T) {
	wd, cd := tally.WorkingDays, tally.CalendarDays
	shanghai, _, _ := tally.DueProcessPreset("shanghai")
	henan, _, _ := tally.DueProcessPreset("henan")
	longAppeal := henan
	longAppeal.Decide, longAppeal.Appeal = wd(4), cd(15)
	tests := []struct {
		name                 string
		catalogue, list      string
		defaulters, violator tally.DueProcess
	}{
		{"no block", "", "", tally.DefaultDueProcess(), tally.DefaultDueProcess()},
		{"a list's preset", "", "{preset: shanghai}", shanghai, tally.DefaultDueProcess()},
		{"the catalogue's preset", "{preset: henan}", "", henan, henan},
		{"a list shortens the catalogue's", "{preset: henan}", "{decide: 4 working days, appeal: 15 days}", longAppeal, henan},
		{"a list's preset over the catalogue's", "{preset: henan}", "{preset: shanghai}", shanghai, henan},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rep := rulebook.LoadCatalogue("sanctions.yml", []byte(withListDue(t, tt.catalogue, tt.list)))
			if err := rep.Err(); err != nil {
				t.Fatal(err)
			}
			if got := c.Due("judgment-defaulters"); got != tt.defaulters {
				t.Errorf("judgment-defaulters: got %+v, want %+v", got, tt.defaulters)
			}
			if got := c.Due("serious-violators"); got != tt.violator {
				t.Errorf("serious-violators: got %+v, want %+v", got, tt.violator)
			}
			if got := c.Due("no-such-list"); got != c.Due("serious-violators") {
				t.Errorf("an unknown list: got %+v, want the catalogue's %+v", got, c.Due("serious-violators"))
			}
			shared, ok := c.SharedDue()
			if want := tt.list == ""; ok != want || (ok && shared != tt.violator) {
				t.Errorf("shared clocks %+v, %v; want %v (a list sets its own: %v)", shared, ok, want, !want)
			}
		})
	}
	var zero *rulebook.Catalogue
	if got := zero.Due("judgment-defaulters"); got != tally.DefaultDueProcess() {
		t.Errorf("no catalogue: got %+v, want the defaults", got)
	}
}

// TestCatalogueDueProcessLimits: lint and publish refuse in a catalogue
// what they refuse in a rulebook's due_process block, naming the field,
// with the reason in Chinese and English; a list is bounded by the
// catalogue's clocks as a scheme is by its preset's.
func TestCatalogueDueProcessLimits(t *testing.T) {
	tests := []struct {
		name            string
		catalogue, list string
		field           string
		msgs            []string // parts of the message
	}{
		{"a slower decision", "{decide: 30}", "", "due_process.decide",
			[]string{"30日：对异议作出决定的期限不得超过15日", "a list may not allow more than 15 days to decide an objection"}},
		{"a list's zero clock", "", "{acknowledge: 0}", "lists[0].due_process.acknowledge",
			[]string{"0：受理异议的期限应为正数", "want a positive number of days to acknowledge an objection"}},
		{"a list lengthens the catalogue's preset", "{preset: shanghai}", "{decide: 6 working days}", "lists[0].due_process.decide",
			[]string{"6个工作日：对异议作出决定的期限不得超过5个工作日", "a list may not allow more than 5 working days"}},
		{"a shorter appeal window", "", "{appeal: 5 days}", "lists[0].due_process.appeal",
			[]string{"5日：提出复议的期限不得少于10日", "a list may not give fewer than 10 days to appeal a decision"}},
		{"an unknown unit", "", "{cascade: 2 weeks}", "lists[0].due_process.cascade", []string{"单位应为“工作日”或“日”", "the unit is"}},
		{"an unknown preset", "{preset: beijing}", "", "due_process.preset", []string{"unknown preset"}},
		{"a threshold only a scheme has", "{second_review_above: 30}", "", "due_process.second_review_above", []string{"unknown field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rep := rulebook.LoadCatalogue("sanctions.yml", []byte(withListDue(t, tt.catalogue, tt.list)))
			if c != nil {
				t.Fatal("the catalogue loaded; want it refused")
			}
			var found bool
			for _, p := range rep.Errors() {
				if p.Field != tt.field {
					continue
				}
				found = true
				for _, m := range tt.msgs {
					if !strings.Contains(p.Message, m) {
						t.Errorf("%s: %q lacks %q", p.Field, p.Message, m)
					}
				}
			}
			if !found {
				t.Errorf("no error on %s; got %v", tt.field, rep)
			}
		})
	}
}
