package witness

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
)

// A witness cosigns in the C2SP cosignature/v1 format: its signature
// covers the checkpoint and the time it was made, so that a reader can
// tell a witness that saw the log a minute ago from one that stopped
// looking a month ago. The key stays an ordinary ed25519 note key
// (PRIVATE+KEY+name+hash+base64), as note.GenerateKey makes.

// NewCosigner returns the cosignature/v1 signer of a witness's note
// signer key.
func NewCosigner(skey string) (note.Signer, error) {
	s, err := fnote.NewSignerForCosignatureV1(strings.TrimSpace(skey))
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "not a witness's ed25519 note signer key (want PRIVATE+KEY+name+hash+base64)")
	}
	return s, nil
}

// CosignerKey returns the verifier key of a witness's note signer key in
// the cosignature/v1 form (name+hash+base64, algorithm 0x04): the key a
// reader that requires this witness is given.
func CosignerKey(skey string) (string, error) {
	bad := tally.Errorf(tally.EInvalid, "not a witness's ed25519 note signer key (want PRIVATE+KEY+name+hash+base64)")
	rest, ok := strings.CutPrefix(strings.TrimSpace(skey), "PRIVATE+KEY+")
	name, rest, _ := strings.Cut(rest, "+")
	_, key64, _ := strings.Cut(rest, "+") // the base64 key may hold a + itself
	raw, err := base64.StdEncoding.DecodeString(key64)
	if !ok || err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return "", bad
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return "", bad
	}
	if _, err := NewCosigner(skey); err != nil { // the name and hash must hold too
		return "", err
	}
	return fnote.VKeyToCosignatureV1(vkey)
}

// NewCosignatureVerifier returns the verifier of a witness's
// cosignature/v1 signatures from its verifier key (the cosignature/v1 form
// CosignerKey prints, or the witness's plain ed25519 note verifier key).
func NewCosignatureVerifier(vkey string) (note.Verifier, error) {
	v, err := fnote.NewVerifierForCosignatureV1(strings.TrimSpace(vkey))
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "%q is not a witness's verifier key (want name+hash+base64)", vkey)
	}
	return v, nil
}

// cosigned opens a checkpoint a witness cosigned: the log's signature
// (log, named as the origin) and the witness's cosignature/v1 must both
// verify. It returns the checkpoint and when the witness cosigned it.
func cosigned(msg []byte, log, witness note.Verifier) (translog.Checkpoint, time.Time, error) {
	c, err := translog.OpenCheckpoint(msg, note.VerifierList(log))
	if err != nil {
		return translog.Checkpoint{}, time.Time{}, err
	}
	n, err := note.Open(msg, note.VerifierList(witness))
	if err != nil {
		return translog.Checkpoint{}, time.Time{}, tally.Errorf(tally.EInvalid, "the checkpoint carries no valid cosignature of the witness %q", witness.Name())
	}
	for _, s := range n.Sigs {
		if s.Name == witness.Name() && s.Hash == witness.KeyHash() {
			at, err := fnote.CoSigV1Timestamp(s)
			if err != nil {
				return translog.Checkpoint{}, time.Time{}, tally.Errorf(tally.EInvalid, "the cosignature of the witness %q carries no time", witness.Name())
			}
			return c, at, nil
		}
	}
	return translog.Checkpoint{}, time.Time{}, tally.Errorf(tally.EInvalid, "the checkpoint carries no valid cosignature of the witness %q", witness.Name())
}
