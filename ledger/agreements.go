package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// agreementsMeta names the meta entry that changes with every agreement
// version published: a Service keeps the agreements it issues as long as
// the entry is unchanged (see issuedAgreements).
const agreementsMeta = "agreements_published"

// PublishedAgreement is the outcome of PublishAgreement.
type PublishedAgreement struct {
	ID        string           `json:"id"`
	Version   int              `json:"version"`
	Digest    string           `json:"digest"`
	Unchanged bool             `json:"unchanged,omitempty"` // the latest version already had this text
	Warnings  []string         `json:"warnings"`
	Agreement *tally.Agreement `json:"-"`
}

// PublishAgreement checks a data-sharing agreement and stores it as the
// next version of its ID, in force from now. This instance must be named
// and be its issuer or its receiver. Publishing the latest version's exact
// text again changes nothing. A list the catalogue in force lacks, or a
// rule no published rulebook has, is a warning: nothing is shared or taken
// in under that name until it exists.
func (s *Service) PublishAgreement(ctx context.Context, filename string, src []byte) (*PublishedAgreement, error) {
	if err := authorize(ActorOf(ctx), OpPublishAgreement, Target{}); err != nil {
		return nil, err
	}
	a, report := rulebook.LoadAgreement(filename, src)
	if err := report.Err(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	out := &PublishedAgreement{ID: a.ID, Digest: hex.EncodeToString(sum[:]), Warnings: []string{}, Agreement: a}
	for _, w := range report.Warnings() {
		out.Warnings = append(out.Warnings, w.String())
	}
	err := s.store.Update(ctx, func(tx Tx) error {
		name, err := storedInstanceName(ctx, tx)
		if err != nil {
			return err
		}
		if a.Issuer != name && a.Receiver != name {
			return tally.Errorf(tally.EInvalid, "agreement %s is between %s and %s; this instance is %s", a.ID, a.Issuer, a.Receiver, name)
		}
		warnings, err := s.agreementWarnings(ctx, tx, a)
		if err != nil {
			return err
		}
		out.Warnings = append(out.Warnings, warnings...)
		all, err := tx.AgreementVersions(ctx)
		if err != nil {
			return err
		}
		a.Version = 1
		if latest, ok := agreementsInForce(all)[a.ID]; ok {
			if latest.Digest == out.Digest {
				out.Version, out.Unchanged = latest.Version, true
				return nil
			}
			a.Version = latest.Version + 1
		}
		out.Version = a.Version
		a.PublishedAt, a.PublishedBy, a.Digest, a.Source = s.now(), ActorOf(ctx).Name, out.Digest, src
		if err := tx.InsertAgreement(ctx, a); err != nil {
			return err
		}
		return tx.SetMeta(ctx, agreementsMeta, fmt.Sprintf("%s v%d %s", a.ID, a.Version, a.Digest))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// agreementWarnings says which lists and rules an agreement names that
// this instance does not have (yet), and which rules it names that are
// kept in the office: those records are never shared.
func (s *Service) agreementWarnings(ctx context.Context, tx Tx, a *tally.Agreement) ([]string, error) {
	var out []string
	if len(a.Lists) > 0 {
		cat, _, err := s.catalogue(ctx, tx)
		if err != nil && tally.ErrorCodeOf(err) != tally.ENotFound {
			return nil, err
		}
		for _, l := range a.Lists {
			if cat != nil {
				if _, ok := cat.List(l); ok {
					continue
				}
			}
			out = append(out, fmt.Sprintf("warning: agreement %s: list %s is not in the sanctions catalogue in force", a.ID, l))
		}
	}
	for _, sr := range a.Rules {
		scheme, code, _ := strings.Cut(sr, "/")
		vs, err := s.versions(ctx, tx, scheme)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			out = append(out, fmt.Sprintf("warning: agreement %s: scheme %s is not published", a.ID, scheme))
			continue
		} else if err != nil {
			return nil, err
		}
		switch rule, ok := vs[len(vs)-1].Book.Rule(code); {
		case !ok:
			out = append(out, fmt.Sprintf("warning: agreement %s: scheme %s has no rule %s in its version in force", a.ID, scheme, code))
		case rule.Unpublished:
			out = append(out, fmt.Sprintf("warning: agreement %s: rule %s is kept in the office (publish: false): its records are not shared", a.ID, sr))
		}
	}
	return out, nil
}

// Agreements returns the version in force of every agreement, by ID:
// public, as subjects are shown under which agreements their entries
// travel.
func (s *Service) Agreements(ctx context.Context) ([]tally.Agreement, error) {
	if err := authorize(ActorOf(ctx), OpReadAgreements, Target{}); err != nil {
		return nil, err
	}
	var out []tally.Agreement
	err := s.store.View(ctx, func(tx Tx) error {
		all, err := tx.AgreementVersions(ctx)
		out = latestVersions(all)
		return err
	})
	return out, err
}

// latestVersions keeps the latest version of each agreement, in the order
// of versions (by ID, then version).
func latestVersions(versions []tally.Agreement) []tally.Agreement {
	out := []tally.Agreement{}
	for i, a := range versions {
		if i+1 < len(versions) && versions[i+1].ID == a.ID {
			continue
		}
		out = append(out, a)
	}
	return out
}

// agreementsInForce is the version in force of every agreement, by ID.
func agreementsInForce(versions []tally.Agreement) map[string]tally.Agreement {
	out := map[string]tally.Agreement{}
	for _, a := range latestVersions(versions) {
		out[a.ID] = a
	}
	return out
}
