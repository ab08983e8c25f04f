package sheet

import (
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/tallycredit/tally"
)

// Group is one unit's rows of a close, for a sheet read or printed unit
// by unit, with the sums of its rows' gains, losses and records. The
// subjects have no household of their own: the unit (a village group, a
// household group or a market section) is the finest grouping there is.
type Group struct {
	Unit                   string
	Rows                   []tally.CloseRow
	Gains, Losses, Records int64
}

// Groups returns rows grouped by unit, the units and the names within each
// in the natural order a clerk expects: by Chinese collation (pinyin),
// numbers by value, and in unit names Chinese numerals too, so that 二组
// comes before 十组. Rows without a unit come last. rows is not changed.
func Groups(rows []tally.CloseRow) []Group {
	// A Collator keeps buffers between calls: one per call of Groups.
	c := collate.New(language.Chinese, collate.Numeric)
	byUnit := map[string]*Group{}
	var out []*Group
	for _, r := range rows {
		g := byUnit[r.Unit]
		if g == nil {
			g = &Group{Unit: r.Unit}
			byUnit[r.Unit] = g
			out = append(out, g)
		}
		g.Rows = append(g.Rows, r)
		g.Gains, g.Losses, g.Records = g.Gains+r.Gains, g.Losses+r.Losses, g.Records+r.Records
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Unit, out[j].Unit
		if (a == "") != (b == "") {
			return b == ""
		}
		return c.CompareString(arabic(a), arabic(b)) < 0
	})
	groups := make([]Group, len(out))
	for i, g := range out {
		sort.SliceStable(g.Rows, func(i, j int) bool {
			if n := c.CompareString(g.Rows[i].Name, g.Rows[j].Name); n != 0 {
				return n < 0
			}
			return g.Rows[i].Masked < g.Rows[j].Masked
		})
		groups[i] = *g
	}
	return groups
}

// chineseDigits are the values of the Chinese numerals a unit name may
// hold; 十 and 百 are multipliers.
var chineseDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
	'六': 6, '七': 7, '八': 8, '九': 9, '十': 10, '百': 100}

// arabic returns s with each run of Chinese numerals written in Arabic
// digits ("第十二组" gives "第12组"), so that collation orders it by value.
func arabic(s string) string {
	var b strings.Builder
	var run []rune
	flush := func() {
		if len(run) > 0 {
			b.WriteString(strconv.Itoa(chineseNumber(run)))
			run = run[:0]
		}
	}
	for _, r := range s {
		if _, ok := chineseDigits[r]; ok {
			run = append(run, r)
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// chineseNumber is the value of a run of Chinese numerals: with 十 or 百
// as multipliers (十二, 二十, 一百零五), or digit by digit (二〇二六).
func chineseNumber(run []rune) int {
	positional := !strings.ContainsAny(string(run), "十百")
	total, digit := 0, 0
	for _, r := range run {
		if v := chineseDigits[r]; v >= 10 {
			total += max(digit, 1) * v
			digit = 0
		} else if positional {
			total = total*10 + v
		} else {
			digit = v
		}
	}
	if positional {
		return total
	}
	return total + digit
}
