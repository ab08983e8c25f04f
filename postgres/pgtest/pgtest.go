// Package pgtest gives tests a fresh PostgreSQL database each. The server
// is the one whose admin address is in the environment variable
// TALLY_TEST_POSTGRES (see scripts/postgres.sh); without it the tests are
// skipped, except in CI (CI=true), where that is a failure.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvVar names the environment variable holding the admin address.
const EnvVar = "TALLY_TEST_POSTGRES"

// Admin returns the admin address from EnvVar. Without one it skips the
// test, or fails it when the environment variable CI is "true": CI must
// provide PostgreSQL, so that the tests that need it cannot silently not
// run.
func Admin(tb testing.TB) string {
	tb.Helper()
	admin := os.Getenv(EnvVar)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("%s is not set: CI must provide PostgreSQL (scripts/postgres.sh start DIR PORT)", EnvVar)
		}
		tb.Skipf("%s is not set: skipping a test that needs PostgreSQL (scripts/postgres.sh start DIR PORT)", EnvVar)
	}
	return admin
}

// Fresh creates a new, empty database named tally_test_<random> on the
// server of Admin and returns its address. The database is dropped, with
// any connections still open to it, when the test ends.
//
// Where the server can (PostgreSQL 15 or later, built with ICU), the
// database sorts text by ICU's en-US collation rather than by bytes, as
// production databases often do: a query that needs byte order and forgets
// COLLATE "C" then fails its test instead of a deployment.
func Fresh(tb testing.TB) string {
	tb.Helper()
	admin := Admin(tb)
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails
	name := "tally_test_" + hex.EncodeToString(b[:])

	create := "CREATE DATABASE " + name
	if err := exec(admin, create+" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"); err != nil {
		if err := exec(admin, create); err != nil {
			tb.Fatalf("pgtest: %v", err)
		}
	}
	tb.Cleanup(func() {
		if err := exec(admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("pgtest: %v", err)
		}
	})

	addr, err := withDatabase(admin, name)
	if err != nil {
		tb.Fatalf("pgtest: %s: %v", EnvVar, err)
	}
	return addr
}

// exec runs one statement on its own connection to the admin database. It
// does not use the test's context, which is already cancelled when
// cleanups run.
func exec(admin, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect to the server of %s: %w", EnvVar, err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// withDatabase returns the address admin with its database replaced by
// name, in the form admin is written in.
func withDatabase(admin, name string) (string, error) {
	if !strings.Contains(admin, "://") {
		return admin + " dbname=" + name, nil // a later keyword wins
	}
	u, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	u.Path, u.RawPath = "/"+name, ""
	q := u.Query()
	if q.Has("dbname") {
		q.Set("dbname", name)
		u.RawQuery = q.Encode()
	}
	return u.String(), nil
}
