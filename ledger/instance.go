package ledger

import (
	"context"
	"regexp"

	"github.com/tallycredit/tally"
)

// instanceNameMeta names the meta entry holding this instance's name.
const instanceNameMeta = "instance_name"

// instanceName is the syntax of an instance's name, as agreements name
// issuers and receivers: lower-case letters, digits and hyphens.
var instanceName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// SetInstanceName names this instance, once: the name agreements call it
// by, as issuer or receiver. Setting the same name again changes nothing;
// another name is a conflict, since receivers know the instance by it.
func (s *Service) SetInstanceName(ctx context.Context, name string) error {
	if err := authorize(ActorOf(ctx), OpNameInstance, Target{}); err != nil {
		return err
	}
	if !instanceName.MatchString(name) {
		return tally.FieldErrorf("name", "%q: an instance's name is lower-case letters, digits and hyphens (such as court or city-office)", name)
	}
	return s.store.Update(ctx, func(tx Tx) error {
		old, err := tx.Meta(ctx, instanceNameMeta)
		switch {
		case err == nil && old == name:
			return nil
		case err == nil:
			return tally.Errorf(tally.EConflict, "this instance is named %s already: an instance's name is set once (agreements and receivers know it by it)", old)
		case tally.ErrorCodeOf(err) != tally.ENotFound:
			return err
		}
		return tx.SetMeta(ctx, instanceNameMeta, name)
	})
}

// InstanceName returns this instance's name, or ENotFound when it was
// never set.
func (s *Service) InstanceName(ctx context.Context) (string, error) {
	if err := authorize(ActorOf(ctx), OpReadAgreements, Target{}); err != nil {
		return "", err
	}
	var name string
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		name, err = storedInstanceName(ctx, tx)
		return err
	})
	return name, err
}

// storedInstanceName reads this instance's name in tx.
func storedInstanceName(ctx context.Context, tx Meta) (string, error) {
	name, err := tx.Meta(ctx, instanceNameMeta)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return "", tally.Errorf(tally.ENotFound, "this instance has no name: run tally init --name NAME")
	}
	return name, err
}
