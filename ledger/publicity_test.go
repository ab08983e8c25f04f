package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Organisations are public by law; a person only with consent, and a
// person not shown is named by the first character alone.
func TestShownPubliclyAndPublicName(t *testing.T) {
	for _, c := range []struct {
		kind      tally.SubjectKind
		name      string
		consented bool
		shown     bool
		named     string
	}{
		{tally.Organisation, "荣成市海鲜市场", false, true, "荣成市海鲜市场"},
		{tally.Organisation, "荣成市海鲜市场", true, true, "荣成市海鲜市场"},
		{tally.Person, "张伟", true, true, "张伟"},
		{tally.Person, "张伟", false, false, "张＊"},
		{tally.Person, "欧阳娜娜", false, false, "欧＊＊＊"},
		{tally.Person, "Li", false, false, "L＊"},
	} {
		if got := ledger.ShownPublicly(c.kind, c.consented); got != c.shown {
			t.Errorf("ShownPublicly(%s, %v) = %v, want %v", c.kind, c.consented, got, c.shown)
		}
		if got := ledger.PublicName(c.kind, c.name, c.consented); got != c.named {
			t.Errorf("PublicName(%s, %q, %v) = %q, want %q", c.kind, c.name, c.consented, got, c.named)
		}
	}
}
