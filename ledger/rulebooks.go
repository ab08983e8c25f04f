package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
)

// Published is the outcome of Publish.
type Published struct {
	Version   tally.RulebookVersion
	Book      *rulebook.Book
	Unchanged bool            // the file equals the latest version, which is returned
	Warnings  rulebook.Report // problems that do not stop publication
}

// Publish checks a rulebook file and stores it as the scheme's next
// immutable version. Publishing the latest version's exact text again
// changes nothing. Only a scheme's first version may take effect before
// the day it is published (to carry over a rulebook already used on
// paper); every later version takes effect on or after its publication
// day and after the version before it, so no conduct is ever rescored.
func (s *Service) Publish(ctx context.Context, filename string, src []byte) (*Published, error) {
	book, report := rulebook.Load(filename, src)
	if err := report.Err(); err != nil {
		return nil, err
	}
	a := ActorOf(ctx)
	if err := mayPublish(a, book.Scheme); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	out := &Published{Book: book, Warnings: report.Warnings()}
	err := s.store.Update(ctx, func(tx Tx) error {
		versions, err := tx.Rulebooks(ctx, book.Scheme)
		if err != nil {
			return err
		}
		now := s.now()
		today := localtime.StartOfDay(now, book.Location)
		if n := len(versions); n > 0 {
			last := versions[n-1]
			if last.Digest == hex.EncodeToString(sum[:]) {
				out.Version, out.Unchanged = last, true
				return nil
			}
			if book.Effective.Before(today) {
				return tally.FieldErrorf("effective", "%s: effective date %s is before today (%s): a new version may not rescore past conduct", filename, day(book.Effective), day(today))
			}
			if !book.Effective.After(last.Effective) {
				return tally.FieldErrorf("effective", "%s: effective date %s must be after version %d's (%s)", filename, day(book.Effective), last.Version, day(last.Effective.In(book.Location)))
			}
		} else if book.Effective.Before(today) {
			out.Warnings = append(out.Warnings, rulebook.Problem{File: filename, Field: "effective", Warning: true,
				Message: fmt.Sprintf("first version takes effect on %s, before today: conduct since then is scored by it", day(book.Effective))})
		}
		out.Version = tally.RulebookVersion{
			Scheme:      book.Scheme,
			Version:     len(versions) + 1,
			Effective:   book.Effective,
			PublishedAt: now,
			PublishedBy: a.Name,
			Digest:      hex.EncodeToString(sum[:]),
			Source:      src,
		}
		return tx.InsertRulebook(ctx, &out.Version)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Version is one published rulebook version, compiled.
type Version struct {
	tally.RulebookVersion
	Book *rulebook.Book
}

// Versions returns every published version of a scheme, oldest first.
func (s *Service) Versions(ctx context.Context, scheme string) ([]Version, error) {
	if err := authorize(ActorOf(ctx), OpReadRulebooks, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	var out []Version
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = s.versions(ctx, tx, scheme)
		return err
	})
	return out, err
}

// Schemes returns the latest version of every scheme.
func (s *Service) Schemes(ctx context.Context) ([]Version, error) {
	if err := authorize(ActorOf(ctx), OpReadRulebooks, Target{}); err != nil {
		return nil, err
	}
	var out []Version
	err := s.store.View(ctx, func(tx Tx) error {
		ids, err := tx.Schemes(ctx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			vs, err := s.versions(ctx, tx, id)
			if err != nil {
				return err
			}
			out = append(out, vs[len(vs)-1])
		}
		return nil
	})
	return out, err
}

// versions returns every version of a scheme, oldest first, compiled. Its
// sources are read only when the scheme has a version this Service has not
// compiled yet (versioncache.go).
func (s *Service) versions(ctx context.Context, tx Rulebooks, scheme string) ([]Version, error) {
	digests, err := tx.RulebookDigests(ctx, scheme)
	if err != nil {
		return nil, err
	}
	if len(digests) == 0 {
		return nil, tally.Errorf(tally.ENotFound, "no scheme %q: publish its rulebook first", scheme)
	}
	if vs, ok := s.compiledVersions(scheme, digests); ok {
		return vs, nil
	}
	raw, err := tx.Rulebooks(ctx, scheme)
	if err != nil {
		return nil, err
	}
	if len(raw) == 0 {
		return nil, tally.Errorf(tally.ENotFound, "no scheme %q: publish its rulebook first", scheme)
	}
	out := make([]Version, len(raw))
	for i := range raw {
		b, err := s.book(&raw[i])
		if err != nil {
			return nil, err
		}
		v := Version{RulebookVersion: raw[i], Book: b}
		v.Effective, v.PublishedAt = v.Effective.In(b.Location), v.PublishedAt.In(b.Location)
		out[i] = v
	}
	s.keepVersions(scheme, out)
	return out, nil
}

// inForce returns the version in force at instant at: the latest version
// whose effective date has come.
func inForce(versions []Version, at time.Time) (*Version, error) {
	for i := len(versions) - 1; i >= 0; i-- {
		if !versions[i].Effective.After(at) {
			return &versions[i], nil
		}
	}
	first := versions[0]
	return nil, tally.FieldErrorf("at", "no rulebook of scheme %s is in force on %s: version 1 takes effect on %s",
		first.Scheme, day(at.In(first.Book.Location)), day(first.Effective.In(first.Book.Location)))
}

// Location returns the time zone of a scheme's latest rulebook, in which
// its dates are read.
func (s *Service) Location(ctx context.Context, scheme string) (*time.Location, error) {
	vs, err := s.Versions(ctx, scheme)
	if err != nil {
		return nil, err
	}
	return vs[len(vs)-1].Book.Location, nil
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// BookInForce returns the rulebook of a scheme in force at an instant,
// for pages that show its rules.
func (s *Service) BookInForce(ctx context.Context, scheme string, at time.Time) (*rulebook.Book, error) {
	vs, err := s.Versions(ctx, scheme)
	if err != nil {
		return nil, err
	}
	v, err := inForce(vs, at)
	if err != nil {
		return nil, err
	}
	return v.Book, nil
}
