// Package ledger holds tally's use cases: publishing rulebooks, enrolling
// subjects, recording conduct, reversing records, and computing explained
// scores. It owns transactions, idempotency and the clock, and declares the
// Store it needs; storage adapters implement it.
package ledger

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// Service runs the use cases against one store. It is safe for concurrent
// use; the zero value is not usable: build one with New.
type Service struct {
	store Store
	vault *Vault
	now   func() time.Time

	mu      sync.Mutex
	books   map[string]*rulebook.Book // compiled versions by digest; versions never change
	schemes map[string][]Version      // each scheme's versions as last read (versioncache.go)

	lastCatalogue atomic.Pointer[loadedCatalogue] // the sanctions catalogue last loaded (cataloguecache.go)
	issued        atomic.Pointer[issued]          // the agreements this instance issues, as last read (outbox.go)

	logs   logBatch   // access-log entries of reads, group-committed
	tokens tokenCache // tokens that authenticated, briefly (tokencache.go)

	hooks listHooks // told when list entries change (lists.go)

	guard  *Guard    // wrong passwords and kiosk codes (guard.go)
	limits TryLimits // how many the guard allows

	log LogSettings // the transparency log's origin and signer (translog.go)
}

// Options tunes a Service. The zero value uses the wall clock.
type Options struct {
	// Now returns the current time; tests and the demo set it.
	Now func() time.Time
	// Limits bounds wrong passwords and kiosk codes; zero fields take
	// the defaults (DefaultAccountLimits, ...).
	Limits TryLimits
	// NoLog turns the transparency log off: entries append no leaves.
	// Only benchmarks that measure what the log costs set it.
	NoLog bool
	// Log is the transparency log's origin and signer (see LogSigner);
	// without a signer no checkpoint can be made.
	Log LogSettings
}

// New returns a Service over store. The key protects identity numbers (see
// Vault); Check verifies that it is the key the database was set up with.
func New(store Store, vault *Vault, opts Options) *Service {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Service{store: joiningStore{Store: store, noLog: opts.NoLog, border: &logBorder{}, now: now}, vault: vault, now: now, books: map[string]*rulebook.Book{}, schemes: map[string][]Version{},
		guard: NewGuard(now, 0), limits: opts.Limits.withDefaults(), log: opts.Log, tokens: tokenCache{wall: time.Now}}
}

// keyCheckMeta names the meta entry holding the key's fingerprint.
const keyCheckMeta = "key_check"

// Check ties the database to the Service's key on first use and, after
// that, refuses a different key: a wrong key would make every identity
// lookup miss and every sealed number unreadable.
func (s *Service) Check(ctx context.Context) error {
	return s.store.Update(ctx, func(tx Tx) error {
		got, err := tx.Meta(ctx, keyCheckMeta)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return tx.SetMeta(ctx, keyCheckMeta, s.vault.Fingerprint())
		}
		if err != nil {
			return err
		}
		if got != s.vault.Fingerprint() {
			return tally.Errorf(tally.EInvalid, "the identity key does not match this database (key fingerprint %s, database expects %s): use the key file the database was created with", s.vault.Fingerprint(), got)
		}
		return nil
	})
}

// book compiles a published version, or returns it from the cache.
func (s *Service) book(v *tally.RulebookVersion) (*rulebook.Book, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.books[v.Digest]; ok {
		return b, nil
	}
	b, report := rulebook.LoadPublished(fmt.Sprintf("%s v%d", v.Scheme, v.Version), v.Source)
	if err := report.Err(); err != nil {
		return nil, &tally.Error{Code: tally.EInternal, Message: "stored rulebook no longer compiles", Err: err}
	}
	s.books[v.Digest] = b
	return b, nil
}

// Now returns the Service's current time: the wall clock, or the one
// Options.Now gave.
func (s *Service) Now() time.Time { return s.now() }
