-- 0001_init: the first schema of the ledger.
--
-- Times are INTEGER microseconds since the Unix epoch, UTC; NULL where the
-- domain uses the zero time (a record that never expires, an organisation
-- that has no majority date). Rulebooks, consents and records are
-- append-only: triggers refuse UPDATE and DELETE, so a correction is always
-- a new row.

CREATE TABLE meta (
	name  TEXT NOT NULL PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE subjects (
	id       INTEGER NOT NULL PRIMARY KEY,
	kind     TEXT    NOT NULL,
	name     TEXT    NOT NULL,
	masked   TEXT    NOT NULL,
	lookup   BLOB    NOT NULL UNIQUE,
	sealed   BLOB    NOT NULL,
	adult_on INTEGER,
	created  INTEGER NOT NULL
);

CREATE TABLE rulebooks (
	scheme       TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	effective    INTEGER NOT NULL,
	published_at INTEGER NOT NULL,
	published_by TEXT    NOT NULL,
	digest       TEXT    NOT NULL,
	source       BLOB    NOT NULL,
	PRIMARY KEY (scheme, version)
);

CREATE TABLE enrolments (
	scheme      TEXT    NOT NULL,
	subject_id  INTEGER NOT NULL REFERENCES subjects (id),
	unit        TEXT    NOT NULL,
	enrolled    INTEGER NOT NULL,
	enrolled_by TEXT    NOT NULL,
	PRIMARY KEY (scheme, subject_id)
);

CREATE TABLE consents (
	id         INTEGER NOT NULL PRIMARY KEY,
	scheme     TEXT    NOT NULL,
	subject_id INTEGER NOT NULL,
	given      INTEGER NOT NULL CHECK (given IN (0, 1)),
	at         INTEGER NOT NULL,
	how        TEXT    NOT NULL,
	decided_by TEXT    NOT NULL,
	FOREIGN KEY (scheme, subject_id) REFERENCES enrolments (scheme, subject_id)
);

-- Finds the latest consent of one enrolment without a sort.
CREATE INDEX consents_enrolment ON consents (scheme, subject_id, at);

CREATE TABLE records (
	id          INTEGER NOT NULL PRIMARY KEY,
	scheme      TEXT    NOT NULL,
	version     INTEGER NOT NULL,
	subject_id  INTEGER NOT NULL REFERENCES subjects (id),
	rule        TEXT    NOT NULL,
	facts       TEXT    NOT NULL,
	happened_at INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT    NOT NULL,
	ref         TEXT    NOT NULL,
	evidence    TEXT    NOT NULL,
	requested   INTEGER NOT NULL,
	awarded     INTEGER NOT NULL,
	reason      TEXT    NOT NULL,
	expires_at  INTEGER,
	reverses    INTEGER REFERENCES records (id),
	digest      TEXT    NOT NULL,
	UNIQUE (scheme, ref)
);

-- A record is reversed at most once; also answers "is this one reversed?".
CREATE UNIQUE INDEX records_reverses ON records (reverses) WHERE reverses IS NOT NULL;
-- A subject's records in time order: InEffect, History, Counts.
CREATE INDEX records_subject ON records (scheme, subject_id, happened_at);
-- A subject's records of one rule in a time range: SumAwarded, which checks
-- caps on every insert. It covers the query (awarded, reverses), so that a
-- sum reads one index range instead of rows scattered over the table.
CREATE INDEX records_rule ON records (scheme, subject_id, rule, happened_at, awarded, reverses);

CREATE TRIGGER rulebooks_no_update BEFORE UPDATE ON rulebooks
BEGIN
	SELECT RAISE(ABORT, 'rulebooks are append-only');
END;

CREATE TRIGGER rulebooks_no_delete BEFORE DELETE ON rulebooks
BEGIN
	SELECT RAISE(ABORT, 'rulebooks are append-only');
END;

CREATE TRIGGER consents_no_update BEFORE UPDATE ON consents
BEGIN
	SELECT RAISE(ABORT, 'consents are append-only');
END;

CREATE TRIGGER consents_no_delete BEFORE DELETE ON consents
BEGIN
	SELECT RAISE(ABORT, 'consents are append-only');
END;

CREATE TRIGGER records_no_update BEFORE UPDATE ON records
BEGIN
	SELECT RAISE(ABORT, 'records are append-only');
END;

CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN
	SELECT RAISE(ABORT, 'records are append-only');
END;
