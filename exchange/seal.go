package exchange

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/tallycredit/tally"
)

// Heartbeat is an issuer's signed promise to one receiver: every change it
// made for that receiver before At is ahead of this heartbeat in the stream.
// A receiver that has heard one recently knows it is not missing anything.
type Heartbeat struct {
	Issuer   string    `json:"issuer"`
	Receiver string    `json:"receiver"`
	At       time.Time `json:"at"`
}

// Signer signs messages as one instance with its ed25519 key; it is a
// note.Signer whose name is the instance's name.
type Signer struct {
	name string
	hash uint32
	key  ed25519.PrivateKey
}

var _ note.Signer = (*Signer)(nil)

// NewSigner returns the signer of the instance name with key. It fails when
// the name cannot name a key (empty, spaces, '+') or is not a single NATS
// subject token.
func NewSigner(name string, key ed25519.PrivateKey) (*Signer, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if len(key) != ed25519.PrivateKeySize {
		return nil, tally.Errorf(tally.EInvalid, "the key of %s is not an ed25519 private key", name)
	}
	vkey, err := VerifierKey(name, key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("signer %s: %w", name, err)
	}
	return &Signer{name: name, hash: v.KeyHash(), key: key}, nil
}

// Name is the instance's name.
func (s *Signer) Name() string { return s.name }

// KeyHash is the hash that names the key in a signature line.
func (s *Signer) KeyHash() uint32 { return s.hash }

// Sign signs msg with the instance's key.
func (s *Signer) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(s.key, msg), nil }

// VerifierKey is the instance's public key as a note verifier key
// (name+hash+base64): what `tally exchange key` prints and what a receiver
// is given to trust.
func VerifierKey(name string, pub ed25519.PublicKey) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return "", tally.Errorf(tally.EInvalid, "the key of %s is not an ed25519 public key", name)
	}
	return vkey, nil
}

// Trust returns the verifiers of the given verifier keys: the issuers a
// receiver takes messages from.
func Trust(keys ...string) (note.Verifiers, error) {
	vs := make([]note.Verifier, 0, len(keys))
	for _, k := range keys {
		v, err := note.NewVerifier(strings.TrimSpace(k))
		if err != nil {
			return nil, tally.Errorf(tally.EInvalid, "%q is not a verifier key (want name+hash+base64, as `tally exchange key` prints)", k)
		}
		vs = append(vs, v)
	}
	return note.VerifierList(vs...), nil
}

// checkName refuses an instance name that cannot appear in a signature
// line or as one token of a NATS subject.
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, " \t\r\n+.*>") || !isPrintable(name) {
		return tally.Errorf(tally.EInvalid, "%q cannot name an instance on the exchange: want no spaces, '+', '.', '*' or '>'", name)
	}
	return nil
}

func isPrintable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r == 0x7f {
			return false
		}
	}
	return true
}

// Seal signs body (a tally.Change or a Heartbeat): the note's text is the
// body's JSON, as encoding/json writes it, and a newline.
func Seal(s note.Signer, body any) ([]byte, error) {
	text, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return note.Sign(&note.Note{Text: string(text) + "\n"}, s)
}

// Open verifies msg against the trusted keys and decodes its body into
// into, a *tally.Change or a *Heartbeat. It refuses, with an *tally.Error a
// rejection can quote, a message that is not a signed note, one signed by
// no trusted key or with a signature that does not verify, a body that is
// not exactly of into's type, and a body whose issuer did not sign it.
func Open(msg []byte, trusted note.Verifiers, into any) error {
	n, err := note.Open(msg, trusted)
	if err != nil {
		return openError(err)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(n.Text)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return tally.Errorf(tally.EInvalid, "the message's body cannot be read: %v", err)
	}
	var issuer string
	switch b := into.(type) {
	case *tally.Change:
		issuer = b.Issuer
	case *Heartbeat:
		issuer = b.Issuer
	default:
		return fmt.Errorf("open: cannot decode into %T", into)
	}
	for _, sig := range n.Sigs {
		if sig.Name == issuer {
			return nil
		}
	}
	return tally.Errorf(tally.EForbidden, "the message names %s as its issuer but is signed by %s", issuer, n.Sigs[0].Name)
}

// openError says why note.Open refused a message.
func openError(err error) error {
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified):
		var names []string
		for _, s := range unverified.Note.UnverifiedSigs {
			names = append(names, s.Name)
		}
		return tally.Errorf(tally.EForbidden, "the message is signed by no trusted key (signers: %s)", strings.Join(names, ", "))
	case errors.As(err, &invalid):
		return tally.Errorf(tally.EForbidden, "the signature of %s does not verify", invalid.Name)
	}
	return tally.Errorf(tally.EInvalid, "the message is not a signed note: %v", err)
}
