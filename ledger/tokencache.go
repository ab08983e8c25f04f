package ledger

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/tallycredit/tally"
)

// The bounds of the token cache.
const (
	// TokenCacheTTL is how long an authenticated token is trusted without
	// reading it again: a revocation made by another process (the CLI,
	// another server on the same database) bites within this time. A
	// revocation through this Service bites at once.
	TokenCacheTTL = time.Second
	// tokenCacheSize bounds the tokens remembered; a full cache is emptied.
	tokenCacheSize = 4096
)

// tokenCache remembers the tokens that authenticated, by the hash of their
// secret, so that a request does not open a transaction to authenticate.
// Unknown secrets are never remembered. Expiry and revocation instants are
// checked on every use; the cache only saves the read.
type tokenCache struct {
	wall func() time.Time // a real clock: the TTL is wall time, whatever the Service's clock says

	mu      sync.Mutex
	entries map[[sha256.Size]byte]cachedToken
	gen     uint64 // bumped by every revocation in this process
}

type cachedToken struct {
	token  *tally.Token
	loaded time.Time
}

// get returns the token read for hash less than TokenCacheTTL ago, and
// the generation a caller that reads it afresh must hand to put.
func (c *tokenCache) get(hash [sha256.Size]byte) (*tally.Token, uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if ok && c.wall().Sub(e.loaded) < TokenCacheTTL {
		return e.token, c.gen
	}
	if ok {
		delete(c.entries, hash)
	}
	return nil, c.gen
}

// put remembers a token read under generation gen, unless a revocation
// came in between: the token read may predate it.
func (c *tokenCache) put(hash [sha256.Size]byte, t *tally.Token, gen uint64, loaded time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.entries == nil || len(c.entries) >= tokenCacheSize {
		c.entries = map[[sha256.Size]byte]cachedToken{}
	}
	c.entries[hash] = cachedToken{token: t, loaded: loaded}
}

// forget drops every remembered token: one was revoked.
func (c *tokenCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}
