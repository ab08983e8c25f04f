package tally

import "time"

// Account is a person who signs in to the web pages with a password. Its
// role and scopes mean what they mean for an API token (see Actor).
// Accounts are never changed in place: a new password or a disablement is
// a row of its own, so who changed what stays on record.
type Account struct {
	ID           int64
	Name         string // the sign-in name, e.g. "recorder-wang"
	Role         Role
	Schemes      []string
	Rules        []string
	Categories   []string
	Lookup       []byte // the subject role: the holder's identifier's lookup hash
	Created      time.Time
	CreatedBy    string
	PasswordHash string    // the latest password, as an argon2id PHC string
	PasswordSet  time.Time // when the latest password was set
	Disabled     time.Time // zero: may sign in
}

// Session is one signed-in browser. Only a hash of the cookie's secret is
// stored; the CSRF secret is the value every form of the session carries.
type Session struct {
	Hash      []byte // SHA-256 of the cookie's secret
	AccountID int64
	CSRF      string
	Created   time.Time
	Expires   time.Time // an absolute end: sessions do not slide
	Ended     time.Time // zero: not signed out
}

// Evidence is a file a recorder attaches to a record, such as a photo of a
// signed volunteer sheet. It is stored once per content; a record cites it
// as "sha256:<hex>".
type Evidence struct {
	Hash       string // hex SHA-256 of Data
	Type       string // media type, e.g. image/jpeg
	Data       []byte
	UploadedAt time.Time
	UploadedBy string
}
