package main

import (
	"errors"
	"os"
)

// Files tally writes hold secrets (keys) or personal data (reports,
// sheets): they are made readable by their owner only, mode 0600, whatever
// the umask. Chmod after creating makes the mode exact, since the umask
// only ever takes bits away.

// writeNewPrivate writes a key file that must not exist yet: an existing
// file, or a link planted in its place, is an error rather than
// overwritten or followed.
func writeNewPrivate(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Chmod(0o600), f.Close())
}

// createPrivate creates or empties an output file. A new file gets mode
// 0600; a file that was there keeps the mode its owner gave it.
func createPrivate(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
}

// writePrivate writes an output file through createPrivate.
func writePrivate(path string, data []byte) error {
	f, err := createPrivate(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}
