package sheet_test

import (
	"reflect"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/sheet"
)

// Groups puts a close's rows under their units in natural order (一组
// before 二组 before 十组, a row without a unit last), names by pinyin with
// numbers in numeric order, and sums each group's gains, losses and
// records.
func TestGroups(t *testing.T) {
	rows := []tally.CloseRow{
		{Unit: "十组", Name: "周七", Gains: 1, Records: 1},
		{Unit: "二组", Name: "张伟", Gains: 5, Losses: -2, Records: 3},
		{Unit: "一组", Name: "赵10", Records: 0},
		{Unit: "", Name: "王五", Losses: -1, Records: 1},
		{Unit: "二组", Name: "安宁", Gains: 2, Records: 1},
		{Unit: "一组", Name: "赵9", Gains: 7, Records: 2},
		{Unit: "二组", Name: "李娜", Losses: -10, Records: 1},
		{Unit: "一组", Name: "陈静", Records: 0},
	}
	got := sheet.Groups(rows)
	type summary struct {
		Unit                   string
		Names                  []string
		Gains, Losses, Records int64
	}
	var sums []summary
	for _, g := range got {
		s := summary{Unit: g.Unit, Gains: g.Gains, Losses: g.Losses, Records: g.Records}
		for _, r := range g.Rows {
			s.Names = append(s.Names, r.Name)
		}
		sums = append(sums, s)
	}
	want := []summary{
		{"一组", []string{"陈静", "赵9", "赵10"}, 7, 0, 2},
		{"二组", []string{"安宁", "李娜", "张伟"}, 7, -12, 5},
		{"十组", []string{"周七"}, 1, 0, 1},
		{"", []string{"王五"}, 0, -1, 1},
	}
	if !reflect.DeepEqual(sums, want) {
		t.Errorf("groups:\n got %+v\nwant %+v", sums, want)
	}
}

// Unit names order by the numbers in them, written in Chinese or Arabic
// digits; other units by pinyin.
func TestUnitOrder(t *testing.T) {
	var rows []tally.CloseRow
	for _, u := range []string{"第十二村民小组", "北区", "第2村民小组", "第一村民小组", "第二十村民小组", "安居区", "第十五村民小组", "第一百零五村民小组", "第二〇二六村民小组"} {
		rows = append(rows, tally.CloseRow{Unit: u})
	}
	var got []string
	for _, g := range sheet.Groups(rows) {
		got = append(got, g.Unit)
	}
	want := []string{"安居区", "北区", "第一村民小组", "第2村民小组", "第十二村民小组", "第十五村民小组", "第二十村民小组", "第一百零五村民小组", "第二〇二六村民小组"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("units in order %v, want %v", got, want)
	}
}
