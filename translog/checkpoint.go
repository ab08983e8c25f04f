package translog

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
	"golang.org/x/mod/sumdb/note"
)

// Checkpoint is a tree head of the log as C2SP tlog-checkpoint writes it:
// the log's origin, the tree size and the root hash, then optional
// extension lines (opaque to tally). Signed, it is a note whose key is
// named as the origin.
type Checkpoint struct {
	Origin     string   `json:"origin"`
	Size       int64    `json:"size"`
	Root       Hash     `json:"root"`
	Extensions []string `json:"extensions,omitempty"`
}

// errNotCheckpoint is the error of a note text that is not a checkpoint.
func errNotCheckpoint() error {
	return tally.Errorf(tally.EInvalid, "not a checkpoint: want an origin line, a tree size and a base64 root hash, each on its own line")
}

// Marshal returns the checkpoint's note text: each line ending in a
// newline.
func (c Checkpoint) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(c.Origin + "\n")
	b.WriteString(strconv.FormatInt(c.Size, 10) + "\n")
	b.WriteString(c.Root.String() + "\n")
	for _, e := range c.Extensions {
		b.WriteString(e + "\n")
	}
	return b.Bytes()
}

// ParseCheckpoint reads a checkpoint's note text, refusing anything the
// C2SP format does not allow: fewer than three lines, an empty line, a
// size with a sign or leading zeros, a root that is not 32 bytes of
// standard base64, or text that does not end in a newline.
func ParseCheckpoint(text []byte) (Checkpoint, error) {
	s, ok := strings.CutSuffix(string(text), "\n")
	if !ok {
		return Checkpoint{}, errNotCheckpoint()
	}
	lines := strings.Split(s, "\n")
	if len(lines) < 3 {
		return Checkpoint{}, errNotCheckpoint()
	}
	for _, l := range lines {
		if l == "" {
			return Checkpoint{}, errNotCheckpoint()
		}
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return Checkpoint{}, errNotCheckpoint()
	}
	root, err := ParseHash(lines[2])
	if err != nil {
		return Checkpoint{}, errNotCheckpoint()
	}
	c := Checkpoint{Origin: lines[0], Size: size, Root: root}
	if len(lines) > 3 {
		c.Extensions = lines[3:]
	}
	return c, nil
}

// valid reports whether c marshals to text ParseCheckpoint reads back.
func (c Checkpoint) valid() bool {
	if c.Size < 0 || c.Origin == "" || strings.Contains(c.Origin, "\n") {
		return false
	}
	for _, e := range c.Extensions {
		if e == "" || strings.Contains(e, "\n") {
			return false
		}
	}
	return true
}

// SignCheckpoint returns c as a signed note. The signer's key must be
// named as c.Origin, which C2SP recommends and tally requires, so that a
// reader knows which signature is the log's own.
func SignCheckpoint(signer note.Signer, c Checkpoint) ([]byte, error) {
	if !c.valid() {
		return nil, errNotCheckpoint()
	}
	if signer.Name() != c.Origin {
		return nil, tally.Errorf(tally.EInvalid, "the log's key is named %q, but its checkpoints name the log %q: the two must be the same", signer.Name(), c.Origin)
	}
	msg, err := note.Sign(&note.Note{Text: string(c.Marshal())}, signer)
	if err != nil {
		return nil, fmt.Errorf("translog: sign: %w", err)
	}
	return msg, nil
}

// OpenCheckpoint verifies a signed checkpoint and returns it. Among
// verifiers must be the log's key, named as the checkpoint's origin, and
// its signature must be valid; other known signatures (witnesses) must be
// valid too, unknown ones are ignored, as the note format says.
func OpenCheckpoint(msg []byte, verifiers note.Verifiers) (Checkpoint, error) {
	c, _, err := openCheckpoint(msg, verifiers)
	return c, err
}

// Cosigners returns the checkpoint, as OpenCheckpoint does, and the names
// of the keys among verifiers other than the log's that signed it: the
// witnesses a reader can require.
func Cosigners(msg []byte, verifiers note.Verifiers) (Checkpoint, []string, error) {
	c, n, err := openCheckpoint(msg, verifiers)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	var names []string
	for _, s := range n.Sigs {
		if s.Name != c.Origin {
			names = append(names, s.Name)
		}
	}
	return c, names, nil
}

// Cosign adds a witness's signature to a signed checkpoint, keeping every
// signature it carries (those verifiers do not know as well). It refuses a
// checkpoint OpenCheckpoint refuses; whether the checkpoint is consistent
// with what the witness saw before is for Audit to say first.
func Cosign(msg []byte, witness note.Signer, verifiers note.Verifiers) ([]byte, error) {
	_, n, err := openCheckpoint(msg, verifiers)
	if err != nil {
		return nil, err
	}
	n.Sigs = append(n.Sigs, n.UnverifiedSigs...)
	out, err := note.Sign(n, witness)
	if err != nil {
		return nil, fmt.Errorf("translog: sign: %w", err)
	}
	return out, nil
}

// openCheckpoint opens the note and parses the checkpoint, requiring the
// signature of the key named as its origin.
func openCheckpoint(msg []byte, verifiers note.Verifiers) (Checkpoint, *note.Note, error) {
	n, err := note.Open(msg, verifiers)
	if err != nil {
		e := tally.Errorf(tally.EInvalid, "the checkpoint carries no valid signature of a key this reader trusts")
		e.Err = err
		return Checkpoint{}, nil, e
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, nil, err
	}
	for _, s := range n.Sigs {
		if s.Name == c.Origin {
			return c, n, nil
		}
	}
	return Checkpoint{}, nil, tally.Errorf(tally.EInvalid, "the checkpoint carries no valid signature of the log %q", c.Origin)
}
