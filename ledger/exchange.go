package ledger

import (
	"context"
	"slices"

	"github.com/tallycredit/tally"
)

// MaxShareBatch bounds how many shares PendingShares returns at once: the
// publisher marks each batch published in one transaction, which on SQLite
// waits its turn behind imports, so batches are larger than a page.
const MaxShareBatch = 4096

// PendingShares returns up to limit (at most MaxShareBatch) shares not yet
// published, oldest first: what the exchange publishes next.
func (s *Service) PendingShares(ctx context.Context, limit int) ([]tally.Share, error) {
	if err := authorize(ActorOf(ctx), OpExchange, Target{}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxShareBatch {
		limit = MaxShareBatch
	}
	var out []tally.Share
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.PendingShares(ctx, limit)
		return err
	})
	return out, err
}

// MarkPublished records that the shares were published and, in the same
// transaction, tells each subject in its access log which receiver got
// which of its entries or records, under which agreement and for what
// purpose.
func (s *Service) MarkPublished(ctx context.Context, shares []tally.Share) error {
	if err := authorize(ActorOf(ctx), OpExchange, Target{}); err != nil {
		return err
	}
	if len(shares) == 0 {
		return nil
	}
	return s.store.Update(ctx, func(tx Tx) error {
		all, err := tx.AgreementVersions(ctx)
		if err != nil {
			return err
		}
		ids := make([]int64, len(shares))
		log := make([]*tally.Access, len(shares))
		for i := range shares {
			c := &shares[i].Change
			ids[i] = shares[i].ID
			var purpose tally.Text
			if j := slices.IndexFunc(all, func(a tally.Agreement) bool { return a.ID == c.Agreement && a.Version == c.AgreementVersion }); j >= 0 {
				purpose = all[j].Purpose
			}
			log[i] = s.access(ctx, shares[i].SubjectID, c.Scheme, "share",
				accessDetail("shared", c.Receiver, string(c.Kind), changeAbout(c), changeCase(c), c.Agreement, purpose.Zh, purpose.En))
		}
		if err := tx.MarkPublished(ctx, ids, s.now()); err != nil {
			return err
		}
		return tx.InsertAccesses(ctx, log)
	})
}

// changeAbout names what a change is about: its list, or its scheme/rule.
func changeAbout(c *tally.Change) string {
	if c.Kind.IsList() {
		return c.List
	}
	return c.Scheme + "/" + c.Rule
}

// changeCase names the case a change is about: the list entry's case
// number, or the record's ref.
func changeCase(c *tally.Change) string {
	switch {
	case c.Entry != nil:
		return c.Entry.CaseNumber
	case c.Removal != nil:
		return c.Removal.CaseNumber
	case c.Record != nil:
		return c.Record.Ref
	}
	return ""
}

// Receivers returns, sorted, the receivers of the agreements in force that
// this instance issues: where its shares go.
func (s *Service) Receivers(ctx context.Context) ([]string, error) {
	return s.parties(ctx, func(a *tally.Agreement, name string) string {
		if a.Issuer == name {
			return a.Receiver
		}
		return ""
	})
}

// Issuers returns, sorted, the issuers of the agreements in force that
// this instance receives: whose changes it takes in.
func (s *Service) Issuers(ctx context.Context) ([]string, error) {
	return s.parties(ctx, func(a *tally.Agreement, name string) string {
		if a.Receiver == name {
			return a.Issuer
		}
		return ""
	})
}

// parties returns the other parties pick names in the agreements in
// force, sorted and once each.
func (s *Service) parties(ctx context.Context, pick func(a *tally.Agreement, name string) string) ([]string, error) {
	if err := authorize(ActorOf(ctx), OpExchange, Target{}); err != nil {
		return nil, err
	}
	out := []string{}
	err := s.store.View(ctx, func(tx Tx) error {
		name, err := storedInstanceName(ctx, tx)
		if err != nil {
			return err
		}
		all, err := tx.AgreementVersions(ctx)
		if err != nil {
			return err
		}
		for _, a := range latestVersions(all) {
			if p := pick(&a, name); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
		slices.Sort(out)
		return nil
	})
	return out, err
}

// RejectMessage keeps a received message that was not applied, and why:
// the exchange sends it to the dead-letter subject too, so that nothing
// is dropped silently.
func (s *Service) RejectMessage(ctx context.Context, r tally.Rejection) error {
	if err := authorize(ActorOf(ctx), OpExchange, Target{}); err != nil {
		return err
	}
	if r.At.IsZero() {
		r.At = s.now()
	}
	return s.store.Update(ctx, func(tx Tx) error { return tx.InsertRejection(ctx, &r) })
}

// Rejections returns the refused messages, newest first, up to limit.
func (s *Service) Rejections(ctx context.Context, limit int) ([]tally.Rejection, error) {
	if err := authorize(ActorOf(ctx), OpExchange, Target{}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var out []tally.Rejection
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Rejections(ctx, limit)
		return err
	})
	return out, err
}
