package ledger

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length in bytes of an identity key.
const KeySize = 32

// Vault protects identity numbers so that the database alone does not
// reveal them: a keyed hash (HMAC-SHA-256) finds a subject by number, and
// AES-256-GCM seals the number for authorised display. Both keys derive
// from one deployment key. A Vault is safe for concurrent use.
type Vault struct {
	lookupKey []byte
	aead      cipher.AEAD
	check     string
}

// NewVault derives the lookup and sealing keys from a KeySize-byte key.
func NewVault(key []byte) (*Vault, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("identity key must be %d bytes, is %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(derive(key, "tally seal v1"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Vault{
		lookupKey: derive(key, "tally lookup v1"),
		aead:      aead,
		check:     hex.EncodeToString(derive(key, "tally key check v1")[:8]),
	}, nil
}

// ParseKey decodes a key written as 64 hexadecimal digits (surrounding
// space ignored), as GenerateKey writes it.
func ParseKey(text string) ([]byte, error) {
	key, err := hex.DecodeString(strings.TrimSpace(text))
	if err != nil || len(key) != KeySize {
		return nil, errors.New("identity key must be 64 hexadecimal digits")
	}
	return key, nil
}

// GenerateKey returns a new random key as 64 hexadecimal digits.
func GenerateKey() string {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return hex.EncodeToString(key)
}

func derive(key []byte, label string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(label))
	return m.Sum(nil)
}

// Lookup returns the keyed hash that finds a subject by identifier.
func (v *Vault) Lookup(identifier string) []byte {
	m := hmac.New(sha256.New, v.lookupKey)
	m.Write([]byte(identifier))
	return m.Sum(nil)
}

// Seal encrypts an identifier; the nonce is stored in front.
func (v *Vault) Seal(identifier string) []byte {
	nonce := make([]byte, v.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	return v.aead.Seal(nonce, nonce, []byte(identifier), nil)
}

// Open decrypts what Seal returned.
func (v *Vault) Open(sealed []byte) (string, error) {
	n := v.aead.NonceSize()
	if len(sealed) < n {
		return "", errors.New("sealed identifier is too short")
	}
	plain, err := v.aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return "", errors.New("sealed identifier does not open with this key")
	}
	return string(plain), nil
}

// Fingerprint identifies the key without revealing it.
func (v *Vault) Fingerprint() string { return v.check }
