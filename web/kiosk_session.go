package web

import (
	"crypto/rand"
	"strings"
	"sync"
	"time"
)

// kioskSession is one resident's turn at the kiosk: their report, ready
// to print until ends. The kiosk is a shared machine, so the session
// shows only the masked name and ends on its own.
type kioskSession struct {
	Masked string // the name with all but its first character hidden
	Code   string // the report's verification code
	doc    []byte
	ends   time.Time
}

// kioskSessions holds the kiosk sessions in memory, by an unguessable
// token. It is safe for concurrent use; its zero value is empty.
type kioskSessions struct {
	mu   sync.Mutex
	open map[string]*kioskSession
}

// start keeps k until k.ends and returns the token that reaches it.
func (ks *kioskSessions) start(k *kioskSession, now time.Time) string {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.forgetEnded(now)
	if ks.open == nil {
		ks.open = map[string]*kioskSession{}
	}
	token := rand.Text()
	ks.open[token] = k
	return token
}

// get returns the session of token while it lasts.
func (ks *kioskSessions) get(token string, now time.Time) (*kioskSession, bool) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.forgetEnded(now)
	k, ok := ks.open[token]
	return k, ok
}

// end forgets the session of token at once.
func (ks *kioskSessions) end(token string) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	delete(ks.open, token)
}

// forgetEnded drops every session whose time is up, reports and all.
func (ks *kioskSessions) forgetEnded(now time.Time) {
	for token, k := range ks.open {
		if !now.Before(k.ends) {
			delete(ks.open, token)
		}
	}
}

// maskName hides every character of a name but the first (张伟 → 张*), so
// that the next person at the kiosk cannot read whose report it was.
func maskName(name string) string {
	r := []rune(strings.TrimSpace(name))
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}
