package report

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/tallycredit/tally"
)

// signatureMark starts the line appended to a signed PDF, after its
// %%EOF: a PDF comment, which readers ignore.
const signatureMark = "%TALLY-SIGNATURE "

// ErrNotGenuine is returned for a document whose signature does not match
// its content: it was altered, or not signed by this deployment.
var ErrNotGenuine = &tally.Error{Code: tally.EInvalid, Field: "file",
	Message: "the report is not genuine: its signature does not match its content (altered, or signed by another key)"}

// message is what a signature covers: the code and the SHA-256 of the
// PDF without the signature line.
func message(code string, pdf []byte) []byte {
	h := sha256.Sum256(pdf)
	return append([]byte("tally credit report\x00"+code+"\x00"), h[:]...)
}

// Seal appends to a PDF a signature line carrying the code and an Ed25519
// signature of the code and the PDF's bytes.
func Seal(pdf []byte, code string, key ed25519.PrivateKey) []byte {
	sig := ed25519.Sign(key, message(code, pdf))
	out := bytes.Clone(pdf)
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	return fmt.Appendf(out, "%s%s %s\n", signatureMark, code, base64.StdEncoding.EncodeToString(sig))
}

// Open splits a sealed document into the PDF, the code and the signature,
// without checking the signature.
func Open(doc []byte) (pdf []byte, code string, sig []byte, err error) {
	i := bytes.LastIndex(doc, []byte("\n"+signatureMark))
	if i < 0 {
		return nil, "", nil, &tally.Error{Code: tally.EInvalid, Field: "file", Message: "not a tally credit report: no signature line"}
	}
	pdf = doc[:i+1]
	line := strings.TrimSuffix(string(doc[i+1+len(signatureMark):]), "\n")
	code, enc, ok := strings.Cut(line, " ")
	if !ok {
		return nil, "", nil, ErrNotGenuine
	}
	if sig, err = base64.StdEncoding.DecodeString(enc); err != nil || len(sig) != ed25519.SignatureSize {
		return nil, "", nil, ErrNotGenuine
	}
	return pdf, code, sig, nil
}

// Check verifies a sealed document with the deployment's public key and
// returns its code and the hex SHA-256 of its PDF (the digest the issue
// recorded). Any changed byte makes it fail with ErrNotGenuine.
func Check(doc []byte, pub ed25519.PublicKey) (code, digest string, err error) {
	pdf, code, sig, err := Open(doc)
	if err != nil {
		return "", "", err
	}
	if !ed25519.Verify(pub, message(code, pdf), sig) {
		return "", "", ErrNotGenuine
	}
	h := sha256.Sum256(pdf)
	return code, hex.EncodeToString(h[:]), nil
}

// GenerateKey returns a new signing key as 64 hex digits (its seed).
func GenerateKey() string {
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return hex.EncodeToString(seed)
}

// ParseKey reads a signing key written by GenerateKey.
func ParseKey(text string) (ed25519.PrivateKey, error) {
	seed, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("a report signing key is 64 hex digits")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// ParsePublicKey reads a public key as PublicKeyText writes it.
func ParsePublicKey(text string) (ed25519.PublicKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, &tally.Error{Code: tally.EInvalid, Field: "public-key", Message: "a report public key is 64 hex digits"}
	}
	return ed25519.PublicKey(b), nil
}

// PublicKeyText is a public key as 64 hex digits.
func PublicKeyText(pub ed25519.PublicKey) string { return hex.EncodeToString(pub) }

// Fingerprint is a short form of a public key to print on reports: the
// first 16 hex digits of its SHA-256.
func Fingerprint(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return hex.EncodeToString(h[:8])
}
