package ledger

import (
	"context"
	"slices"
	"unicode/utf8"

	"github.com/tallycredit/tally"
)

// ShownPublicly is the one rule every public surface (boards, posters,
// statistics, /verify, the public API) follows before it shows anything
// about a subject: an organisation's credit information is public by law,
// a person's only while the person consents to its publication (Shandong
// Social Credit Regulations 2020, Art. 20; no public display of
// individuals). Consented is the person's decision in force now.
func ShownPublicly(kind tally.SubjectKind, consented bool) bool {
	return kind == tally.Organisation || consented
}

// PublicName is how a public surface names a subject: in full when
// ShownPublicly allows it, otherwise only the first character followed by
// one ＊ per character withheld, so that whoever holds a paper can match
// it without the page naming the person.
func PublicName(kind tally.SubjectKind, name string, consented bool) string {
	if ShownPublicly(kind, consented) || name == "" {
		return name
	}
	first, size := utf8.DecodeRuneInString(name)
	out := []rune{first}
	for range utf8.RuneCountInString(name[size:]) {
		out = append(out, '＊')
	}
	return string(out)
}

// publicityTx is what deciding who may be shown reads: the subjects and
// their decisions about publication.
type publicityTx interface {
	Subjects
	Publications
}

// publicSubjects returns which of the given subjects of a scheme may be
// shown publicly now (ShownPublicly), by subject ID.
func publicSubjects(ctx context.Context, tx publicityTx, scheme string, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	consents, err := tx.Published(ctx, scheme, slices.Min(ids)-1, slices.Max(ids))
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if consents[id] {
			out[id] = true
			continue
		}
		subj, err := tx.SubjectByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out[id] = ShownPublicly(subj.Kind, false)
	}
	return out, nil
}
