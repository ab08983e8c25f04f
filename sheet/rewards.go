package sheet

import (
	"encoding/csv"
	"io"

	"github.com/tallycredit/tally/ledger"
)

// RewardsHeader is the first line of a distribution list; the last
// column is left empty for the receiver's signature.
var RewardsHeader = []string{"reward", "item", "amount", "unit", "unit_name", "subject", "name", "basis", "signature"}

// WriteRewardsCSV writes a period's distribution list, one line per
// reward handed to one subject, with an empty signature column.
func WriteRewardsCSV(w io.Writer, lines []ledger.RewardLine, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RewardsHeader); err != nil {
		return err
	}
	for _, l := range lines {
		cells := []string{l.Reward, l.Item.In(lang), itoa(l.Amount), l.Unit.In(lang), l.Group, l.Subject, l.Name, itoa(l.Basis), ""}
		if err := cw.Write(rewardsColumns.safe(cells)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
