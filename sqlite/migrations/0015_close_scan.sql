-- 0015_close_scan: records_rule also holds each record's expiry and
-- rulebook version, so that a close sums a page of subjects' records from
-- the index alone, in its order (subject, rule), without reading a table
-- row per record. Added at the end of the key, they leave the caps' sums
-- (a subject's records of one rule in a time range) as they were; the
-- import writes one index entry per record as before, a few bytes wider.
--
-- close_rows loses its two foreign keys (to subjects, and to its header in
-- closes), which made every row of a close a lookup in each: on
-- PostgreSQL a trigger per row, two thirds of the time it took to write a
-- close's 100,000 rows. Only a close writes them, in the transaction that
-- writes its header, for subjects it reads in that transaction; subjects
-- and closes are append-only, so nothing they name can go away.
DROP INDEX records_rule;
CREATE INDEX records_rule ON records (scheme, subject_id, rule, happened_at, awarded, reverses, expires_at, version);

-- SQLite drops a foreign key by building the table anew; rowids are kept
-- (ReadRows reads a table in rowid order).
CREATE TABLE close_rows_0015 (
	scheme     TEXT    NOT NULL,
	period     TEXT    NOT NULL,
	subject_id INTEGER NOT NULL,
	unit       TEXT    NOT NULL,
	masked     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	scored     INTEGER NOT NULL CHECK (scored IN (0, 1)),
	unscored   TEXT    NOT NULL,
	opening    INTEGER,
	gains      INTEGER NOT NULL,
	losses     INTEGER NOT NULL,
	expired    INTEGER NOT NULL,
	closing    INTEGER,
	grade      TEXT    NOT NULL,
	flags      INTEGER NOT NULL,
	stars      INTEGER NOT NULL,
	previous   INTEGER,
	records    INTEGER NOT NULL,
	published  INTEGER NOT NULL CHECK (published IN (0, 1)),
	PRIMARY KEY (scheme, period, subject_id)
);
INSERT INTO close_rows_0015 (rowid, scheme, period, subject_id, unit, masked, name, scored, unscored, opening, gains, losses, expired, closing, grade, flags, stars, previous, records, published)
	SELECT rowid, scheme, period, subject_id, unit, masked, name, scored, unscored, opening, gains, losses, expired, closing, grade, flags, stars, previous, records, published FROM close_rows;
DROP TABLE close_rows;
ALTER TABLE close_rows_0015 RENAME TO close_rows;

CREATE TRIGGER close_rows_no_update BEFORE UPDATE ON close_rows
BEGIN
	SELECT RAISE(ABORT, 'close rows are append-only');
END;

CREATE TRIGGER close_rows_no_delete BEFORE DELETE ON close_rows
BEGIN
	SELECT RAISE(ABORT, 'close rows are append-only');
END;
