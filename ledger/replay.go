package ledger

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
)

// replay lets an importer read its file twice: once to check that every
// row can be read, before anything is written, and once to write. A file
// that can seek (a file named on the command line) is read again from
// where it started. Anything else (standard input, a request body) is
// copied as it is read the first time into a temporary file that is
// removed from its folder at once, so nothing is left behind even by a
// crash, and is enciphered with a key that lives only in memory, so the
// personal data in it cannot be read back from the disk.
type replay struct {
	src   io.Reader
	seek  io.Seeker
	at    int64
	spool *os.File
	key   cipher.Block
	iv    []byte
	used  bool
}

// newReplay prepares r to be read twice; close releases what it took.
func newReplay(r io.Reader) *replay {
	p := &replay{src: r}
	if s, ok := r.(io.Seeker); ok {
		if at, err := s.Seek(0, io.SeekCurrent); err == nil {
			p.seek, p.at = s, at
		}
	}
	return p
}

// first returns the reader of the first reading.
func (p *replay) first() (io.Reader, error) {
	if p.seek != nil {
		return p.src, nil
	}
	f, err := os.CreateTemp("", "tally-import-*")
	if err != nil {
		return nil, fmt.Errorf("spool the import: %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return nil, fmt.Errorf("spool the import: %w", err)
	}
	key := make([]byte, 32)
	p.iv = make([]byte, aes.BlockSize)
	_, _ = rand.Read(key)
	_, _ = rand.Read(p.iv)
	if p.key, err = aes.NewCipher(key); err != nil {
		f.Close()
		return nil, err
	}
	p.spool = f
	w := cipher.StreamWriter{S: cipher.NewCTR(p.key, p.iv), W: f}
	return io.TeeReader(p.src, &w), nil
}

// again returns a reader of the same bytes as the first reading gave,
// which must have read to the end.
func (p *replay) again() (io.Reader, error) {
	if p.used {
		return nil, errors.New("replay: read a third time")
	}
	p.used = true
	if p.seek != nil {
		if _, err := p.seek.Seek(p.at, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read the import again: %w", err)
		}
		return p.src, nil
	}
	if _, err := p.spool.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("read the import again: %w", err)
	}
	return cipher.StreamReader{S: cipher.NewCTR(p.key, p.iv), R: p.spool}, nil
}

// close closes the temporary file, if there is one.
func (p *replay) close() {
	if p.spool != nil {
		p.spool.Close()
	}
}
