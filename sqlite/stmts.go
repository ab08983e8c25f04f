package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// statements lists the queries prepared once per connection instead of on
// every call: with this driver, preparing costs about as much as running a
// small query.
var statements = []string{
	metaQuery, setMetaQuery,
	insertRulebookQuery, rulebooksQuery, schemesQuery,
	insertSubjectQuery, subjectByLookupQuery, subjectByIDQuery,
	insertEnrolmentQuery, insertConsentQuery, enrolmentQuery, enrolmentsQuery,
	insertRecordQuery, refUsedQuery, recordByIDQuery, recordByRefQuery, reversalOfQuery,
	sumAwardedQuery, inEffectQuery, pointsInEffectQuery, historyQuery, countsQuery,
	insertTokenQuery, tokenByHashQuery, tokensQuery, revokeTokenQuery,
	insertAccessQuery, accessLogQuery, claimResponseQuery, keepResponseQuery, savedResponseQuery,
	insertAccountQuery, insertPasswordQuery, accountByNameQuery, accountByIDQuery, accountsQuery, disableAccountQuery,
	insertSessionQuery, sessionByHashQuery, endSessionQuery, insertEvidenceQuery, evidenceByHashQuery,
	recordsRecordedQuery, recordsRecordedInQuery, recordsRecordedByQuery, recordsRecordedInByQuery,
	searchEnrolledQuery, enrolmentsOfQuery, ruleCountsQuery,
	insertCatalogueQuery, latestCatalogueQuery, insertListEntryQuery, entryByCaseQuery, entriesOfQuery,
	scanEntriesQuery, insertRemovalQuery, scanRemovalsQuery, addCheckCountQuery, checkCountsQuery,
}

// prepare prepares every statement on pool. It must run before any
// transaction: on the one write connection a later prepare would wait for
// the connection a transaction holds.
func prepare(ctx context.Context, pool *sql.DB) (map[string]*sql.Stmt, error) {
	m := make(map[string]*sql.Stmt, len(statements))
	for _, q := range statements {
		s, err := pool.PrepareContext(ctx, q)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("prepare %q: %w", q, err), closeStmts(m))
		}
		m[q] = s
	}
	return m, nil
}

// closeStmts closes the statements of m.
func closeStmts(m map[string]*sql.Stmt) error {
	var errs []error
	for _, s := range m {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// stmt returns query prepared on t's connection, or nil if it is not one
// of the statements.
func (t *tx) stmt(ctx context.Context, query string) *sql.Stmt {
	if s, ok := t.stmts[query]; ok {
		return t.tx.StmtContext(ctx, s)
	}
	return nil
}

// exec is t.tx.ExecContext through the prepared statement when there is one.
func (t *tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// query is t.tx.QueryContext through the prepared statement when there is one.
func (t *tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// queryRow is t.tx.QueryRowContext through the prepared statement when
// there is one.
func (t *tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
