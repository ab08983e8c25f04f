package ledger

import (
	"context"
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

// The may* functions below name the operation and target of the checks
// that many use cases share; each is one lookup in Policy.

// mayPublish: publishing a scheme's rulebook.
func mayPublish(a *tally.Actor, scheme string) error {
	return authorize(a, OpPublishRulebook, Target{Scheme: scheme})
}

// mayRegister: adding and enrolling subjects (scheme "" for adding a
// subject to no scheme yet).
func mayRegister(a *tally.Actor, scheme string) error {
	if scheme == "" {
		return authorize(a, OpAddSubject, Target{})
	}
	return authorize(a, OpEnrol, Target{Scheme: scheme})
}

// mayRecord: recording a rule, which must be in the actor's rules or
// rule categories.
func mayRecord(a *tally.Actor, scheme string, rule *rulebook.Rule) error {
	return authorize(a, OpRecord, Target{Scheme: scheme, Rule: rule.Code, Category: rule.Category})
}

// mayWriteIn is the first check of a record, before anything is looked
// up: whether the actor may record anything in the scheme.
func mayWriteIn(a *tally.Actor, scheme string) error {
	return authorize(a, OpRecord, Target{Scheme: scheme})
}

// mayReverse: reversing a record. A recorder reverses only what it made
// itself, and only on the day it made it, a day in the scheme's time zone.
func mayReverse(a *tally.Actor, orig *tally.Record, now time.Time, loc *time.Location) error {
	if err := authorize(a, OpReverse, Target{Scheme: orig.Scheme, MadeBy: orig.RecordedBy}); err != nil {
		return err
	}
	if scope, _ := GrantOf(OpReverse, a.Role); scope == Made && day(orig.RecordedAt.In(loc)) != day(now.In(loc)) {
		return forbidden(a, "reverse a record after the day it was made")
	}
	return nil
}

// mayTry is the first check of a use case whose full target is known only
// after a lookup: whether a's role may perform op at all in scheme, so that
// the lookup tells an outsider nothing.
func mayTry(a *tally.Actor, op Op, scheme string) error {
	scope, ok := GrantOf(op, a.Role)
	if ok && (scope == Anywhere || scope == Own || a.InScheme(scheme)) {
		return nil
	}
	return authorize(a, op, Target{Scheme: scheme})
}

// target names a subject in a scheme for a check: its lookup hash, made
// only when a grant compares subjects, lets the subject role be matched
// before any lookup, so a refusal reveals nothing.
func (s *Service) target(scheme, identifier string) Target {
	t := Target{Scheme: scheme}
	if identifier != "" {
		t.lookup = func() []byte { return s.vault.Lookup(canonical(identifier)) }
	}
	return t
}

// mayRead: reading one subject's record in a scheme.
func (s *Service) mayRead(a *tally.Actor, scheme, identifier string) error {
	return authorize(a, OpReadSubject, s.target(scheme, identifier))
}

// mayVerify: yes/no questions in a scheme.
func mayVerify(a *tally.Actor, scheme string) error {
	return authorize(a, OpVerify, Target{Scheme: scheme})
}

// needsPurpose reports whether a role must state why it reads a record:
// everyone but the subject reading its own.
func needsPurpose(a *tally.Actor) bool { return a.Role != tally.SubjectR }
