package witness

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// The files of a witness's state directory.
const (
	// TrustedFile holds the signed checkpoint last trusted.
	TrustedFile = "trusted"
	// CosignedFile holds the last checkpoint the witness cosigned.
	CosignedFile = "cosigned"
	// The evidence of an alert: in a directory named after the time and
	// the finding, the checkpoint trusted before and the one refused.
	EvidenceTrusted = "trusted"
	EvidenceRefused = "refused"
)

// readState returns the content of a state file, nil when it is not there.
func readState(dir, name string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

// writeAtomic replaces dir/name with data so that a reader, or the
// witness after a crash, finds the old content or the new, never a part:
// written to a temporary file, synced, renamed over, and the directory
// synced.
func writeAtomic(dir, name string, data []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
