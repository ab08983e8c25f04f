package ledger

import (
	"strings"

	"github.com/tallycredit/tally"
)

// choiceDetails are the access-log details of a consent or publication
// choice, Chinese first. The log stores the English text followed by how
// the choice was made, so the table also reads details already stored.
var choiceDetails = []tally.Text{
	{Zh: "同意计分", En: "consent true"},
	{Zh: "不同意计分", En: "consent false"},
	{Zh: "同意在荣誉榜公示", En: "publication on the honour board true"},
	{Zh: "不同意在荣誉榜公示", En: "publication on the honour board false"},
}

// AccessDetailText is a stored access-log detail in both languages; a
// detail it does not know is shown as stored.
func AccessDetailText(detail string) tally.Text {
	for _, c := range choiceDetails {
		if rest, ok := strings.CutPrefix(detail, c.En+" "); ok && strings.HasPrefix(rest, "(") {
			return tally.Text{Zh: c.Zh + " " + rest, En: detail}
		}
	}
	return tally.Text{Zh: detail, En: detail}
}
