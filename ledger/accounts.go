package ledger

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tallycredit/tally"
)

// ErrBadSignIn is returned by SignIn for an unknown name, a wrong password
// or a disabled account alike: telling them apart would help guessing.
var ErrBadSignIn = errors.New("unknown name or wrong password")

// ErrNoSession is returned by Session for a session that is unknown,
// ended or expired.
var ErrNoSession = errors.New("no such session, or it has ended")

// SessionLength is how long a sign-in lasts: a working day. Sessions do
// not slide, so a stolen cookie stops working by the next day.
const SessionLength = 12 * time.Hour

// accountName is the format of sign-in names.
var accountName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// AccountSpec is the input of CreateAccount.
type AccountSpec struct {
	Name       string
	Password   string
	Role       tally.Role
	Schemes    []string
	Rules      []string
	Categories []string
	Subject    string // the subject role: the holder's identifier
}

// CreateAccount adds a web account (admins only). It checks what
// CreateToken checks, and the password's length.
func (s *Service) CreateAccount(ctx context.Context, spec AccountSpec) (*tally.Account, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpManageAccounts, Target{}); err != nil {
		return nil, err
	}
	if !accountName.MatchString(spec.Name) {
		return nil, tally.FieldErrorf("name", "%q: want 2 to 63 lower-case letters, digits, '.', '_' or '-'", spec.Name)
	}
	if err := checkGrant(spec.Role, spec.Subject); err != nil {
		return nil, err
	}
	if err := checkNewPassword(spec.Password); err != nil {
		return nil, err
	}
	hash, err := hashPassword(spec.Password)
	if err != nil {
		return nil, err
	}
	now := s.now()
	acct := &tally.Account{Name: spec.Name, Role: spec.Role, Schemes: spec.Schemes, Rules: spec.Rules,
		Categories: spec.Categories, Created: now, CreatedBy: a.Name, PasswordHash: hash, PasswordSet: now}
	err = s.store.Update(ctx, func(tx Tx) error {
		for _, scheme := range spec.Schemes {
			if _, err := s.versions(ctx, tx, scheme); err != nil {
				return err
			}
		}
		if spec.Subject != "" {
			subj, err := s.subject(ctx, tx, spec.Subject)
			if err != nil {
				return err
			}
			acct.Lookup = subj.Lookup
		}
		return tx.InsertAccount(ctx, acct)
	})
	if err != nil {
		return nil, err
	}
	return acct, nil
}

// checkNewPassword refuses passwords too short or too long to be sensible.
func checkNewPassword(p string) error {
	n := utf8.RuneCountInString(p)
	if n < MinPassword {
		return tally.FieldErrorf("password", "use at least %d characters", MinPassword)
	}
	if len(p) > 256 {
		return tally.FieldErrorf("password", "use at most 256 bytes")
	}
	return nil
}

// Accounts lists accounts a page at a time (admins only), never their
// password hashes.
func (s *Service) Accounts(ctx context.Context, after int64, limit int) ([]tally.Account, error) {
	if err := authorize(ActorOf(ctx), OpManageAccounts, Target{}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var out []tally.Account
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = tx.Accounts(ctx, after, limit)
		return err
	})
	for i := range out {
		out[i].PasswordHash = ""
	}
	return out, err
}

// SetPassword gives an account a new password: an admin for anyone, an
// account holder for their own account (the web's actor name is the
// account name). Every session of the account opened before it ends (see
// Session); a holder who changes their own password signs in again with
// the new one.
func (s *Service) SetPassword(ctx context.Context, name, password string) error {
	a := ActorOf(ctx)
	if err := authorize(a, OpSetPassword, Target{Account: name}); err != nil {
		return err
	}
	if err := checkNewPassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		acct, err := tx.AccountByName(ctx, name)
		if err != nil {
			return err
		}
		return tx.SetPassword(ctx, acct.ID, hash, s.now(), a.Name)
	})
}

// DisableAccount stops an account signing in (admins only); its open
// sessions stop working at their next request.
func (s *Service) DisableAccount(ctx context.Context, name string) error {
	a := ActorOf(ctx)
	if err := authorize(a, OpManageAccounts, Target{}); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		acct, err := tx.AccountByName(ctx, name)
		if err != nil {
			return err
		}
		return tx.DisableAccount(ctx, acct.ID, s.now(), a.Name)
	})
}

// SignIn checks a name and password and opens a session. It returns the
// session's secret, for the cookie, which is stored only as a hash.
//
// Wrong passwords are limited per name typed and per source address (see
// WithSource) by the Service's Guard: a guess is counted before its
// password is checked, and one refused while the limit holds is a
// *LimitedError (errors.Is ErrTooManyTries), its password unchecked.
func (s *Service) SignIn(ctx context.Context, name, password string) (secret string, sess *tally.Session, err error) {
	name = strings.TrimSpace(name)
	try, err := s.guard.Reserve(s.signInKeys(ctx, name)...)
	if err != nil {
		return "", nil, err
	}
	defer func() { try.Settle(err, ErrBadSignIn) }()
	acct, err := s.checkSignIn(ctx, name, password)
	if err != nil {
		return "", nil, err
	}
	return s.openSession(ctx, acct)
}

// signInKeys are what a sign-in counts against: the name typed and, when
// known, the source address.
func (s *Service) signInKeys(ctx context.Context, name string) []GuardKey {
	keys := []GuardKey{{Key: guardKey("signin-name", strings.ToLower(name)), Limits: s.limits.Account}}
	if src := sourceOf(ctx); src != "" {
		keys = append(keys, GuardKey{Key: guardKey("signin-source", src), Limits: s.limits.Source, KeepOnSuccess: true})
	}
	return keys
}

// checkSignIn returns the account named if password is its password and
// it is not disabled, else ErrBadSignIn.
func (s *Service) checkSignIn(ctx context.Context, name, password string) (*tally.Account, error) {
	var acct *tally.Account
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		acct, err = tx.AccountByName(ctx, name)
		return err
	})
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		checkPassword(dummyHash, password)
		return nil, ErrBadSignIn
	}
	if err != nil {
		return nil, err
	}
	if !checkPassword(acct.PasswordHash, password) || !acct.Disabled.IsZero() {
		return nil, ErrBadSignIn
	}
	return acct, nil
}

// openSession opens a session for acct and returns its secret.
func (s *Service) openSession(ctx context.Context, acct *tally.Account) (string, *tally.Session, error) {
	secret, err := randomText(32)
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomText(32)
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256([]byte(secret))
	now := s.now()
	sess := &tally.Session{Hash: sum[:], AccountID: acct.ID, CSRF: csrf, Created: now, Expires: now.Add(SessionLength)}
	if err := s.store.Update(ctx, func(tx Tx) error { return tx.InsertSession(ctx, sess) }); err != nil {
		return "", nil, err
	}
	return secret, sess, nil
}

// Session returns the actor a session's secret stands for and the session
// itself, or ErrNoSession. A disabled account's sessions end with it, and
// a new password ends every session opened before it was set, so that
// whoever learnt the old password is signed out at their next request.
func (s *Service) Session(ctx context.Context, secret string) (*tally.Actor, *tally.Session, error) {
	if secret == "" {
		return nil, nil, ErrNoSession
	}
	sum := sha256.Sum256([]byte(secret))
	var sess *tally.Session
	var acct *tally.Account
	err := s.store.View(ctx, func(tx Tx) error {
		var err error
		if sess, err = tx.SessionByHash(ctx, sum[:]); err != nil {
			return err
		}
		acct, err = tx.AccountByID(ctx, sess.AccountID)
		return err
	})
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil, nil, ErrNoSession
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if !sess.Ended.IsZero() || !sess.Expires.After(now) || !acct.Disabled.IsZero() && !acct.Disabled.After(now) ||
		sess.Created.Before(acct.PasswordSet) {
		return nil, nil, ErrNoSession
	}
	return &tally.Actor{Name: acct.Name, Role: acct.Role, Schemes: slices.Clone(acct.Schemes), Rules: slices.Clone(acct.Rules),
		Categories: slices.Clone(acct.Categories), Lookup: acct.Lookup}, sess, nil
}

// SignOut ends a session; ending one that has ended changes nothing.
func (s *Service) SignOut(ctx context.Context, secret string) error {
	sum := sha256.Sum256([]byte(secret))
	err := s.store.Update(ctx, func(tx Tx) error { return tx.EndSession(ctx, sum[:], s.now()) })
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil
	}
	return err
}

// randomText returns n random bytes as URL-safe base64.
func randomText(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
