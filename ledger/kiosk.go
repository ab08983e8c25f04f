package ledger

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// KioskCodeLife is how long a one-time kiosk code works.
const KioskCodeLife = 15 * time.Minute

// ErrKioskCode is the one answer to every failed kiosk sign-in: a wrong ID
// number, a wrong, used or expired code all look the same, so that the
// kiosk reveals nothing about who has a code.
var ErrKioskCode = tally.Errorf(tally.EForbidden, "the ID number or the one-time code is wrong, used or expired: ask at the desk for a new code")

// kioskHash is the keyed hash kept for a code: of the subject's identifier
// and the code, so that a code works for one person only, and the
// database alone does not give the codes away.
func (s *Service) kioskHash(identifier, code string) []byte {
	return s.vault.Lookup("kiosk\x00" + canonical(identifier) + "\x00" + strings.TrimSpace(code))
}

// IssueKioskCode makes a one-time code for a subject to print their own
// credit report at the kiosk: eight random digits, working once within
// KioskCodeLife. Only administrators (the desk) issue codes; the issue is
// in the subject's access log. The code is returned this once.
func (s *Service) IssueKioskCode(ctx context.Context, identifier string) (code string, expires time.Time, err error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpIssueKioskCode, Target{}); err != nil {
		return "", time.Time{}, err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return "", time.Time{}, fmt.Errorf("kiosk code: %w", err)
	}
	code = fmt.Sprintf("%08d", n.Int64())
	now := s.now()
	expires = now.Add(KioskCodeLife)
	err = s.store.Update(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		k := &tally.KioskCode{SubjectID: subj.ID, Hash: s.kioskHash(identifier, code), IssuedAt: now, IssuedBy: a.Name, Expires: expires}
		if err := tx.InsertKioskCode(ctx, k); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, subj.ID, "", "kiosk-code", accessDetail("kiosk-code", instantArg(expires)))
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return code, expires, nil
}

// RedeemKioskCode checks an identifier and a one-time code, spends the
// code, and returns the subject as an actor that may issue its own
// report. Every failure is ErrKioskCode.
//
// Wrong codes are limited per ID number typed and per source address (the
// machine; see WithSource) by the Service's Guard, counted before the code
// is checked; a try refused while the limit holds is a *LimitedError
// (errors.Is ErrTooManyTries), its code unchecked.
func (s *Service) RedeemKioskCode(ctx context.Context, identifier, code string) (actor *tally.Actor, err error) {
	keys := []GuardKey{{Key: guardKey("kiosk-id", canonical(identifier)), Limits: s.limits.KioskID}}
	if src := sourceOf(ctx); src != "" {
		keys = append(keys, GuardKey{Key: guardKey("kiosk-source", src), Limits: s.limits.KioskSource, KeepOnSuccess: true})
	}
	try, err := s.guard.Reserve(keys...)
	if err != nil {
		return nil, err
	}
	defer func() { try.Settle(err, ErrKioskCode) }()
	return s.redeemKioskCode(ctx, identifier, code)
}

// redeemKioskCode is RedeemKioskCode once the guess is allowed.
func (s *Service) redeemKioskCode(ctx context.Context, identifier, code string) (*tally.Actor, error) {
	if _, err := tally.ParseResidentID(canonical(identifier)); err != nil {
		if _, err := tally.ParseUSCC(canonical(identifier)); err != nil {
			return nil, ErrKioskCode
		}
	}
	now := s.now()
	err := s.store.Update(ctx, func(tx Tx) error {
		k, err := tx.KioskCodeByHash(ctx, s.kioskHash(identifier, code))
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return ErrKioskCode
		} else if err != nil {
			return err
		}
		if !k.UsedAt.IsZero() || !now.Before(k.Expires) {
			return ErrKioskCode
		}
		if err := tx.UseKioskCode(ctx, k.ID, now); tally.ErrorCodeOf(err) == tally.EConflict {
			return ErrKioskCode
		} else if err != nil {
			return err
		}
		e := &tally.Access{At: now, SubjectID: k.SubjectID, Actor: "kiosk", Role: tally.SubjectR,
			Action: "kiosk-sign-in", Purpose: "print own credit report", Detail: accessDetail("kiosk-used")}
		stampAuthority(ctx, e)
		return tx.InsertAccess(ctx, e)
	})
	if err != nil {
		return nil, err
	}
	return &tally.Actor{Name: "kiosk", Role: tally.SubjectR, Lookup: s.vault.Lookup(canonical(identifier))}, nil
}
