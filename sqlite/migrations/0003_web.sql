-- 0003_web: what the web pages keep beyond the ledger: accounts that sign
-- in with a password, their sessions, and evidence files; plus indexes for
-- the lists the pages show.
--
-- Like tokens, accounts are never changed: a new password or a
-- disablement is a row of its own, so who changed what stays on record.
-- Scopes are JSON arrays of strings. A password is stored only as its
-- argon2id PHC string and a session only as the SHA-256 of its cookie's
-- secret. Every table here is append-only.

CREATE TABLE accounts (
	id         INTEGER NOT NULL PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE,
	role       TEXT    NOT NULL,
	schemes    TEXT    NOT NULL,
	rules      TEXT    NOT NULL,
	categories TEXT    NOT NULL,
	lookup     BLOB,
	created    INTEGER NOT NULL,
	created_by TEXT    NOT NULL
);

-- An account's passwords; the latest (by at, then id) is the one in force.
CREATE TABLE account_passwords (
	id         INTEGER NOT NULL PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	hash       TEXT    NOT NULL,
	at         INTEGER NOT NULL,
	set_by     TEXT    NOT NULL
);

-- Finds an account's latest password with one backward seek, no sort.
CREATE INDEX account_passwords_account ON account_passwords (account_id, at, id);

CREATE TABLE account_disablements (
	account_id  INTEGER NOT NULL PRIMARY KEY REFERENCES accounts (id),
	at          INTEGER NOT NULL,
	disabled_by TEXT    NOT NULL
);

CREATE TABLE sessions (
	hash       BLOB    NOT NULL PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	csrf       TEXT    NOT NULL,
	created    INTEGER NOT NULL,
	expires    INTEGER NOT NULL
);

CREATE TABLE session_ends (
	session_hash BLOB    NOT NULL PRIMARY KEY REFERENCES sessions (hash),
	at           INTEGER NOT NULL
);

-- Files stored once per content, keyed by the hex SHA-256 of data.
CREATE TABLE evidence (
	hash        TEXT    NOT NULL PRIMARY KEY,
	type        TEXT    NOT NULL,
	data        BLOB    NOT NULL,
	uploaded_at INTEGER NOT NULL,
	uploaded_by TEXT    NOT NULL
);

-- RecordsRecorded: what one recorder recorded in a window ...
CREATE INDEX records_recorder ON records (recorded_by, recorded_at);
-- ... and what everyone recorded in a window; a scheme is checked on each
-- row of the window, a deployment having few schemes.
CREATE INDEX records_recorded ON records (recorded_at);
-- EnrolmentsOf: a subject's enrolments, a few, sorted by scheme.
CREATE INDEX enrolments_subject ON enrolments (subject_id);
-- SearchEnrolled needs no index of its own: it walks one scheme's
-- enrolments in subject order (the primary key) and tests each subject's
-- name, unit and masked identifier with LIKE '%text%', which no B-tree
-- index can answer; it stops once it has found enough.
-- RuleCounts reads the scheme's range of records_rule, which covers it.

CREATE TRIGGER accounts_no_update BEFORE UPDATE ON accounts
BEGIN
	SELECT RAISE(ABORT, 'accounts are append-only');
END;

CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN
	SELECT RAISE(ABORT, 'accounts are append-only');
END;

CREATE TRIGGER account_passwords_no_update BEFORE UPDATE ON account_passwords
BEGIN
	SELECT RAISE(ABORT, 'account passwords are append-only');
END;

CREATE TRIGGER account_passwords_no_delete BEFORE DELETE ON account_passwords
BEGIN
	SELECT RAISE(ABORT, 'account passwords are append-only');
END;

CREATE TRIGGER account_disablements_no_update BEFORE UPDATE ON account_disablements
BEGIN
	SELECT RAISE(ABORT, 'account disablements are append-only');
END;

CREATE TRIGGER account_disablements_no_delete BEFORE DELETE ON account_disablements
BEGIN
	SELECT RAISE(ABORT, 'account disablements are append-only');
END;

CREATE TRIGGER sessions_no_update BEFORE UPDATE ON sessions
BEGIN
	SELECT RAISE(ABORT, 'sessions are append-only');
END;

CREATE TRIGGER sessions_no_delete BEFORE DELETE ON sessions
BEGIN
	SELECT RAISE(ABORT, 'sessions are append-only');
END;

CREATE TRIGGER session_ends_no_update BEFORE UPDATE ON session_ends
BEGIN
	SELECT RAISE(ABORT, 'session ends are append-only');
END;

CREATE TRIGGER session_ends_no_delete BEFORE DELETE ON session_ends
BEGIN
	SELECT RAISE(ABORT, 'session ends are append-only');
END;

CREATE TRIGGER evidence_no_update BEFORE UPDATE ON evidence
BEGIN
	SELECT RAISE(ABORT, 'evidence is append-only');
END;

CREATE TRIGGER evidence_no_delete BEFORE DELETE ON evidence
BEGIN
	SELECT RAISE(ABORT, 'evidence is append-only');
END;
