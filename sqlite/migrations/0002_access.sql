-- 0002_access: API tokens, the access log and saved idempotent responses.
--
-- A token's secret is never stored, only its SHA-256. Scopes are JSON
-- arrays of strings. Tokens are never changed: a revocation is a row of its
-- own. The access log, revocations and saved responses are append-only.

CREATE TABLE tokens (
	id         INTEGER NOT NULL PRIMARY KEY,
	name       TEXT    NOT NULL,
	hash       BLOB    NOT NULL UNIQUE,
	role       TEXT    NOT NULL,
	schemes    TEXT    NOT NULL,
	rules      TEXT    NOT NULL,
	categories TEXT    NOT NULL,
	lookup     BLOB,
	created    INTEGER NOT NULL,
	created_by TEXT    NOT NULL,
	expires    INTEGER
);

CREATE TABLE token_revocations (
	token_id   INTEGER NOT NULL PRIMARY KEY REFERENCES tokens (id),
	at         INTEGER NOT NULL,
	revoked_by TEXT    NOT NULL
);

CREATE TABLE access_log (
	id         INTEGER NOT NULL PRIMARY KEY,
	at         INTEGER NOT NULL,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	scheme     TEXT    NOT NULL,
	actor      TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	token_id   INTEGER,
	action     TEXT    NOT NULL,
	purpose    TEXT    NOT NULL,
	detail     TEXT    NOT NULL
);

-- A subject's access log, a page at a time.
CREATE INDEX access_log_subject ON access_log (subject_id, id);

CREATE TABLE saved_responses (
	actor        TEXT    NOT NULL,
	key          TEXT    NOT NULL,
	request_hash TEXT    NOT NULL,
	status       INTEGER NOT NULL,
	body         BLOB    NOT NULL,
	at           INTEGER NOT NULL,
	PRIMARY KEY (actor, key)
);

CREATE TRIGGER tokens_no_update BEFORE UPDATE ON tokens
BEGIN
	SELECT RAISE(ABORT, 'tokens are append-only');
END;

CREATE TRIGGER tokens_no_delete BEFORE DELETE ON tokens
BEGIN
	SELECT RAISE(ABORT, 'tokens are append-only');
END;

CREATE TRIGGER token_revocations_no_update BEFORE UPDATE ON token_revocations
BEGIN
	SELECT RAISE(ABORT, 'token revocations are append-only');
END;

CREATE TRIGGER token_revocations_no_delete BEFORE DELETE ON token_revocations
BEGIN
	SELECT RAISE(ABORT, 'token revocations are append-only');
END;

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
	SELECT RAISE(ABORT, 'the access log is append-only');
END;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
	SELECT RAISE(ABORT, 'the access log is append-only');
END;

CREATE TRIGGER saved_responses_no_update BEFORE UPDATE ON saved_responses
BEGIN
	SELECT RAISE(ABORT, 'saved responses are append-only');
END;
