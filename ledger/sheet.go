package ledger

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// Sheet is a closed period's tally sheet without its rows (which may be a
// million: read them with EachCloseRow): the close, the rulebook version
// it was taken under, the totals per unit and rule category, and the late
// records it lists.
type Sheet struct {
	tally.Close
	Book   *rulebook.Book        `json:"-"`
	Totals []tally.CategoryTotal `json:"totals"`
	Late   []LateEntry           `json:"late_records"`
}

// LateEntry is a record that arrived after its period was closed.
type LateEntry struct {
	Entry
	Subject string `json:"subject"` // masked
}

// Sheet returns the tally sheet of a closed period.
func (s *Service) Sheet(ctx context.Context, scheme, period string) (*Sheet, error) {
	if err := mayReadSheet(ActorOf(ctx), scheme); err != nil {
		return nil, err
	}
	if _, err := tally.ParsePeriod(period); err != nil {
		return nil, err
	}
	out := &Sheet{}
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		c, err := tx.CloseOf(ctx, scheme, period)
		if err != nil {
			return err
		}
		out.Close = *local(c, vs)
		if c.Version >= 1 && c.Version <= len(vs) {
			out.Book = vs[c.Version-1].Book
		} else {
			return fmt.Errorf("close %s %s names rulebook version %d, which does not exist", scheme, period, c.Version)
		}
		if out.Totals, err = tx.CloseTotals(ctx, scheme, period); err != nil {
			return err
		}
		late, err := tx.CloseLate(ctx, scheme, period)
		if err != nil {
			return err
		}
		out.Late = make([]LateEntry, len(late))
		for i, r := range late {
			subj, err := tx.SubjectByID(ctx, r.SubjectID)
			if err != nil {
				return err
			}
			out.Late[i] = LateEntry{Entry: entry(vs, r), Subject: subj.Masked}
		}
		es := make([]*Entry, len(out.Late))
		for i := range out.Late {
			es[i] = &out.Late[i].Entry
		}
		return markDisputed(ctx, tx, s.now(), es...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// EachCloseRow passes every row of a closed period to fn, by subject ID,
// reading ClosePage rows per read transaction.
func (s *Service) EachCloseRow(ctx context.Context, scheme, period string, fn func(*tally.CloseRow) error) error {
	if err := mayReadSheet(ActorOf(ctx), scheme); err != nil {
		return err
	}
	return s.eachCloseRow(ctx, scheme, period, fn)
}

func (s *Service) eachCloseRow(ctx context.Context, scheme, period string, fn func(*tally.CloseRow) error) error {
	for after := int64(0); ; {
		var page []tally.CloseRow
		err := s.store.View(ctx, func(tx Tx) error {
			var err error
			page, err = tx.CloseRows(ctx, scheme, period, after, math.MaxInt64, ClosePage)
			return err
		})
		if err != nil {
			return err
		}
		for i := range page {
			if err := fn(&page[i]); err != nil {
				return err
			}
		}
		if len(page) < ClosePage {
			return nil
		}
		after = page[len(page)-1].SubjectID
	}
}

// Sum adds totals up: the sheet's grand total.
func Sum(totals []tally.CategoryTotal) tally.CategoryTotal {
	var sum tally.CategoryTotal
	for _, t := range totals {
		sum.Gains += t.Gains
		sum.Losses += t.Losses
		sum.Records += t.Records
	}
	return sum
}

// ByCategory adds the totals of every unit up per category, by category.
func ByCategory(totals []tally.CategoryTotal) []tally.CategoryTotal {
	m := map[string]*tally.CategoryTotal{}
	for _, t := range totals {
		c, ok := m[t.Category]
		if !ok {
			c = &tally.CategoryTotal{Category: t.Category}
			m[t.Category] = c
		}
		c.Gains += t.Gains
		c.Losses += t.Losses
		c.Records += t.Records
	}
	out := make([]tally.CategoryTotal, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Category < out[j].Category })
	return out
}

// SetPublication records a subject's decision about appearing on a
// scheme's honour board. Consent to be scored is not consent to be
// published: a name on a public board is a publication of its own, so it
// is asked separately, defaults to no, and can be withdrawn at any time
// (a withdrawal takes the name off every board at once: ShownPublicly).
// The subject decides for itself, or a recorder or administrator records
// a decision made on paper.
func (s *Service) SetPublication(ctx context.Context, scheme, identifier string, given bool, how string) error {
	a := ActorOf(ctx)
	if err := authorize(a, OpSetConsent, s.target(scheme, identifier)); err != nil {
		return err
	}
	if strings.TrimSpace(how) == "" {
		how = "set by " + a.Name
	}
	return s.store.Update(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		c := &tally.Consent{Scheme: scheme, SubjectID: subj.ID, Given: given, At: s.now(), How: how, By: a.Name}
		if err := tx.InsertPublicationConsent(ctx, c); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, subj.ID, scheme, "publication", choiceDetail("publication", given, how))
	})
}

// Publication reports whether a subject's latest decision about
// appearing on a scheme's honour board gives consent (no decision: no).
// Those who may record the decision may read it, the subject included.
func (s *Service) Publication(ctx context.Context, scheme, identifier string) (bool, error) {
	if err := authorize(ActorOf(ctx), OpSetConsent, s.target(scheme, identifier)); err != nil {
		return false, err
	}
	var on bool
	err := s.store.View(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		got, err := tx.Published(ctx, scheme, subj.ID-1, subj.ID)
		on = got[subj.ID]
		return err
	})
	return on, err
}

// CloseRows returns up to limit rows of a closed period after subject ID
// after, for a page of the API.
func (s *Service) CloseRows(ctx context.Context, scheme, period string, after int64, limit int) ([]tally.CloseRow, error) {
	if err := mayReadSheet(ActorOf(ctx), scheme); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var out []tally.CloseRow
	err := s.store.View(ctx, func(tx Tx) error {
		if _, err := tx.CloseOf(ctx, scheme, period); err != nil {
			return err
		}
		var err error
		out, err = tx.CloseRows(ctx, scheme, period, after, math.MaxInt64, limit)
		return err
	})
	return out, err
}
