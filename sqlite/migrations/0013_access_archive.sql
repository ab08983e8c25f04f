-- 0013_access_archive: the authority of every access-log entry, and the
-- archive entries move to once the retention period (at least 5 years) is
-- over. op is the operation of the authorization policy that allowed the
-- entry, scope how far the actor's grant reached; entries written before
-- this migration have neither (''). The archive holds entries unchanged,
-- with their IDs and the instant they moved; nothing is ever deleted: an
-- entry leaves the live log only once the archive holds it.
ALTER TABLE access_log ADD COLUMN op TEXT NOT NULL DEFAULT '';
ALTER TABLE access_log ADD COLUMN scope TEXT NOT NULL DEFAULT '';

CREATE TABLE access_log_archive (
	id          INTEGER NOT NULL PRIMARY KEY,
	at          INTEGER NOT NULL,
	subject_id  INTEGER NOT NULL REFERENCES subjects (id),
	scheme      TEXT    NOT NULL,
	actor       TEXT    NOT NULL,
	role        TEXT    NOT NULL,
	token_id    INTEGER,
	action      TEXT    NOT NULL,
	purpose     TEXT    NOT NULL,
	detail      TEXT    NOT NULL,
	op          TEXT    NOT NULL,
	scope       TEXT    NOT NULL,
	archived_at INTEGER NOT NULL
);

-- A subject's archived entries, a page at a time.
CREATE INDEX access_log_archive_subject ON access_log_archive (subject_id, id);

CREATE TRIGGER access_log_archive_no_update BEFORE UPDATE ON access_log_archive
BEGIN
	SELECT RAISE(ABORT, 'the access log archive is append-only');
END;

CREATE TRIGGER access_log_archive_no_delete BEFORE DELETE ON access_log_archive
BEGIN
	SELECT RAISE(ABORT, 'the access log archive is append-only');
END;

DROP TRIGGER access_log_no_delete;

CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
	WHEN NOT EXISTS (SELECT 1 FROM access_log_archive WHERE id = OLD.id)
BEGIN
	SELECT RAISE(ABORT, 'the access log is append-only: an entry leaves it only for the archive');
END;
