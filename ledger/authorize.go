package ledger

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// actorKey is the context key of the acting Actor.
type actorKey struct{}

// WithActor returns a context in which use cases act for a.
func WithActor(ctx context.Context, a *tally.Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorOf returns the actor of ctx; without one, the public: a context
// that names nobody may do only what anyone may.
func ActorOf(ctx context.Context) *tally.Actor {
	if a, ok := ctx.Value(actorKey{}).(*tally.Actor); ok && a != nil {
		return a
	}
	return &tally.Actor{Name: "anonymous", Role: tally.Public}
}

// forbidden is the one refusal: it never says whether the thing asked
// about exists.
func forbidden(a *tally.Actor, what string) error {
	return tally.Errorf(tally.EForbidden, "%s (role %s) may not %s", a.Name, a.Role, what)
}

// mayPublish: admins, and rule-makers for their schemes.
func mayPublish(a *tally.Actor, scheme string) error {
	if a.Role == tally.Admin || (a.Role == tally.RuleMaker && a.InScheme(scheme)) {
		return nil
	}
	return forbidden(a, "publish rulebooks of scheme "+scheme)
}

// mayRegister: admins, recorders and agencies add and enrol subjects in
// their schemes (scheme "" for adding a subject to no scheme yet).
func mayRegister(a *tally.Actor, scheme string) error {
	switch a.Role {
	case tally.Admin:
		return nil
	case tally.Recorder, tally.Agency:
		if scheme == "" || a.InScheme(scheme) {
			return nil
		}
	}
	return forbidden(a, "add or enrol subjects in scheme "+scheme)
}

// mayRecord: admins; recorders for the rules and schemes they are given;
// agencies for their own rule categories.
func mayRecord(a *tally.Actor, scheme string, rule *rulebook.Rule) error {
	switch a.Role {
	case tally.Admin:
		return nil
	case tally.Recorder:
		if a.InScheme(scheme) && (len(a.Rules) == 0 || slices.Contains(a.Rules, rule.Code)) {
			return nil
		}
	case tally.Agency:
		if a.InScheme(scheme) && (len(a.Categories) == 0 || slices.Contains(a.Categories, rule.Category)) {
			return nil
		}
	}
	return forbidden(a, "record rule "+rule.Code+" in scheme "+scheme)
}

// mayWriteIn is the first check of a write, before anything is looked up.
func mayWriteIn(a *tally.Actor, scheme string) error {
	switch a.Role {
	case tally.Admin:
		return nil
	case tally.Recorder, tally.Agency, tally.Reviewer:
		if a.InScheme(scheme) {
			return nil
		}
	}
	return forbidden(a, "write records in scheme "+scheme)
}

// mayReverse: admins and reviewers of the scheme; a recorder may undo its
// own record on the day it recorded it, a day in the scheme's time zone.
func mayReverse(a *tally.Actor, orig *tally.Record, now time.Time, loc *time.Location) error {
	switch a.Role {
	case tally.Admin:
		return nil
	case tally.Reviewer:
		if a.InScheme(orig.Scheme) {
			return nil
		}
	case tally.Recorder:
		if a.InScheme(orig.Scheme) && orig.RecordedBy == a.Name && day(orig.RecordedAt.In(loc)) == day(now.In(loc)) {
			return nil
		}
	}
	return forbidden(a, "reverse this record")
}

// mayRead: reading one subject's record in a scheme. Admins and reviewers
// (in scope) may; a subject may read its own. The check compares lookup
// hashes before any lookup, so a refusal reveals nothing.
func (s *Service) mayRead(a *tally.Actor, scheme, identifier string) error {
	switch a.Role {
	case tally.Admin:
		return nil
	case tally.Reviewer:
		if a.InScheme(scheme) {
			return nil
		}
	case tally.SubjectR:
		if len(a.Lookup) > 0 && bytes.Equal(a.Lookup, s.vault.Lookup(canonical(identifier))) {
			return nil
		}
	}
	return forbidden(a, "read this record")
}

// mayVerify: verifiers and admins ask yes/no questions.
func mayVerify(a *tally.Actor, scheme string) error {
	if a.Role == tally.Admin || (a.Role == tally.Verifier && a.InScheme(scheme)) {
		return nil
	}
	return forbidden(a, "ask verification questions in scheme "+scheme)
}

// needsPurpose reports whether a role must state why it reads a record:
// everyone but the subject reading its own.
func needsPurpose(a *tally.Actor) bool { return a.Role != tally.SubjectR }
