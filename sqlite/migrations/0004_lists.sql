-- 0004_lists: the sanctions catalogue, list entries, their removals and the
-- verifier check statistics.
--
-- Catalogue versions, entries and removals are append-only: an entry ends
-- by a removal row or at its term's end, never by an edit. An entry keeps
-- its subject's lookup hash and the name of the decision so that the check
-- index loads from this table alone. Check counts are counters, one row a
-- day and measure.

CREATE TABLE catalogues (
	version      INTEGER NOT NULL PRIMARY KEY,
	published_at INTEGER NOT NULL,
	published_by TEXT    NOT NULL,
	digest       TEXT    NOT NULL,
	source       BLOB    NOT NULL
);

CREATE TABLE list_entries (
	id            INTEGER NOT NULL PRIMARY KEY,
	list          TEXT    NOT NULL,
	subject_id    INTEGER NOT NULL REFERENCES subjects (id),
	lookup        BLOB    NOT NULL,
	name          TEXT    NOT NULL,
	masked        TEXT    NOT NULL,
	case_number   TEXT    NOT NULL,
	court         TEXT    NOT NULL,
	decided_on    INTEGER NOT NULL,
	notice_served INTEGER NOT NULL,
	grounds       TEXT    NOT NULL,
	basis         TEXT    NOT NULL,
	term          TEXT    NOT NULL,
	aggravation   INTEGER NOT NULL,
	ends          INTEGER NOT NULL,
	recorded_at   INTEGER NOT NULL,
	recorded_by   TEXT    NOT NULL,
	UNIQUE (list, case_number)
);

-- A subject's entries, for eligibility.
CREATE INDEX list_entries_subject ON list_entries (subject_id, id);

CREATE TABLE list_removals (
	id          INTEGER NOT NULL PRIMARY KEY,
	entry_id    INTEGER NOT NULL UNIQUE REFERENCES list_entries (id),
	reason      TEXT    NOT NULL,
	removed_on  INTEGER NOT NULL,
	note        TEXT    NOT NULL,
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT    NOT NULL
);

CREATE TABLE check_counts (
	day        TEXT    NOT NULL,
	measure    TEXT    NOT NULL,
	allowed    INTEGER NOT NULL,
	denied     INTEGER NOT NULL,
	mismatched INTEGER NOT NULL,
	PRIMARY KEY (day, measure)
);

CREATE TRIGGER catalogues_no_update BEFORE UPDATE ON catalogues
BEGIN
	SELECT RAISE(ABORT, 'catalogues are append-only');
END;

CREATE TRIGGER catalogues_no_delete BEFORE DELETE ON catalogues
BEGIN
	SELECT RAISE(ABORT, 'catalogues are append-only');
END;

CREATE TRIGGER list_entries_no_update BEFORE UPDATE ON list_entries
BEGIN
	SELECT RAISE(ABORT, 'list entries are append-only: end one with a removal');
END;

CREATE TRIGGER list_entries_no_delete BEFORE DELETE ON list_entries
BEGIN
	SELECT RAISE(ABORT, 'list entries are append-only: end one with a removal');
END;

CREATE TRIGGER list_removals_no_update BEFORE UPDATE ON list_removals
BEGIN
	SELECT RAISE(ABORT, 'list removals are append-only');
END;

CREATE TRIGGER list_removals_no_delete BEFORE DELETE ON list_removals
BEGIN
	SELECT RAISE(ABORT, 'list removals are append-only');
END;
