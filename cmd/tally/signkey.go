package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

// signKeyPath returns the report signing key file: --sign-key-file (env
// TALLY_SIGN_KEY_FILE), or next to a SQLite database with ".sign". It is
// apart from the identity key: one encrypts identity numbers, the other
// vouches for printed reports, and either can be replaced alone.
func (e *env) signKeyPath(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv("TALLY_SIGN_KEY_FILE"); v != "" {
		return v
	}
	if isPostgres(e.cfg.DB) {
		return ""
	}
	return sqlitePath(e.cfg.DB) + ".sign"
}

// loadSignKey reads the report signing key, making it (mode 0600) when
// create is set and it is missing, and binds its public half to the
// database, which refuses any other key afterwards.
func (e *env) loadSignKey(svc *ledger.Service, path string, create bool) (ed25519.PrivateKey, error) {
	if path == "" {
		return nil, e.errorf(tally.EInvalid, "cli.sign_key_needed")
	}
	text, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist) && create:
		text = []byte(report.GenerateKey() + "\n")
		if err := writeNewPrivate(path, text); err != nil {
			return nil, fmt.Errorf("%s: %w", e.text("cli.sign_key_write"), err)
		}
		fmt.Fprintf(e.stderr, "tally: %s\n", e.text("cli.sign_key_generated", path))
	case errors.Is(err, os.ErrNotExist):
		return nil, e.errorf(tally.ENotFound, "cli.sign_key_missing", path)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", e.text("cli.sign_key_read"), err)
	}
	key, err := report.ParseKey(string(text))
	if err != nil {
		return nil, e.errorf(tally.EInvalid, "cli.sign_key_bad", path, err)
	}
	if err := svc.BindReportKey(e.ctx, report.PublicKeyText(key.Public().(ed25519.PublicKey))); err != nil {
		return nil, err
	}
	return key, nil
}
