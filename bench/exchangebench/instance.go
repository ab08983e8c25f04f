package main

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sync/atomic"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// agreementFile is the sample agreement both instances publish.
const agreementFile = "agreements/court-to-airline.yaml"

// instance is one tally on its own SQLite file, as `tally init --name`
// and `tally agreements add` leave it: the default sanctions catalogue,
// its name and the court-to-airline agreement.
type instance struct {
	name  string
	svc   *ledger.Service
	store *sqlite.DB
	admin context.Context // an administrator's context, as the CLI and the exchange act
}

// openInstance creates the instance name in dir.
func openInstance(ctx context.Context, dir, name string) (*instance, error) {
	store, err := sqlite.Open(ctx, filepath.Join(dir, name+".db"))
	if err != nil {
		return nil, err
	}
	key, err := ledger.ParseKey(ledger.GenerateKey())
	if err != nil {
		return nil, err
	}
	vault, err := ledger.NewVault(key)
	if err != nil {
		return nil, err
	}
	in := &instance{name: name, svc: ledger.New(store, vault, ledger.Options{}), store: store,
		admin: ledger.WithPurpose(ledger.WithActor(ctx, &tally.Actor{Name: "bench", Role: tally.Admin}), "benchmark")}
	agreement, err := fs.ReadFile(examples.Agreements, agreementFile)
	if err == nil {
		err = in.svc.Check(in.admin)
	}
	if err == nil {
		_, err = in.svc.PublishCatalogue(in.admin, "sanctions.yml", examples.Sanctions)
	}
	if err == nil {
		err = in.svc.SetInstanceName(in.admin, name)
	}
	if err == nil {
		_, err = in.svc.PublishAgreement(in.admin, filepath.Base(agreementFile), agreement)
	}
	if err != nil {
		store.Close()
		return nil, fmt.Errorf("instance %s: %w", name, err)
	}
	return in, nil
}

// countingOutbox is the court's outbox that counts the shares the
// publisher has marked published (the stream has acknowledged them).
type countingOutbox struct {
	*ledger.Service
	published atomic.Int64
}

var _ exchange.Outbox = (*countingOutbox)(nil)

func (o *countingOutbox) MarkPublished(ctx context.Context, shares []tally.Share) error {
	err := o.Service.MarkPublished(ctx, shares)
	if err == nil {
		o.published.Add(int64(len(shares)))
	}
	return err
}

// countingInbox is the airline's inbox that counts the changes it has
// taken (applied, or found applied already).
type countingInbox struct {
	*ledger.Service
	taken atomic.Int64
}

var _ exchange.Inbox = (*countingInbox)(nil)

func (in *countingInbox) ReceiveAll(ctx context.Context, cs []tally.Change) ([]error, error) {
	errs, err := in.Service.ReceiveAll(ctx, cs)
	for _, e := range errs {
		if e == nil {
			in.taken.Add(1)
		}
	}
	return errs, err
}
