package sheet

import (
	"io"

	"github.com/tallycredit/tally/ledger"
)

// WriteRewardsCSV writes a period's distribution list in lang: a byte
// order mark and the header, then one line per reward handed to one
// subject, with an empty signature column.
func WriteRewardsCSV(w io.Writer, lines []ledger.RewardLine, lang string) error {
	t, err := newTableCSV(w, rewardsColumns, lang)
	if err != nil {
		return err
	}
	for _, l := range lines {
		if err := t.line([]string{l.Reward, l.Item.In(lang), itoa(l.Amount), l.Unit.In(lang), l.Group, l.Subject, l.Name, itoa(l.Basis), ""}); err != nil {
			return err
		}
	}
	return t.close()
}
