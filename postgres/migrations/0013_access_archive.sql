-- 0013_access_archive: the authority of every access-log entry, and the
-- archive entries move to once the retention period (at least 5 years) is
-- over. op is the operation of the authorization policy that allowed the
-- entry, scope how far the actor's grant reached; entries written before
-- this migration have neither (''). The archive holds entries unchanged,
-- with their IDs and the instant they moved; nothing is ever deleted: an
-- entry leaves the live log only once the archive holds it.
ALTER TABLE access_log
	ADD COLUMN op    TEXT NOT NULL DEFAULT '',
	ADD COLUMN scope TEXT NOT NULL DEFAULT '';

CREATE TABLE access_log_archive (
	id          BIGINT NOT NULL PRIMARY KEY,
	at          BIGINT NOT NULL,
	subject_id  BIGINT NOT NULL REFERENCES subjects (id),
	scheme      TEXT   NOT NULL,
	actor       TEXT   NOT NULL,
	role        TEXT   NOT NULL,
	token_id    BIGINT,
	action      TEXT   NOT NULL,
	purpose     TEXT   NOT NULL,
	detail      TEXT   NOT NULL,
	op          TEXT   NOT NULL,
	scope       TEXT   NOT NULL,
	archived_at BIGINT NOT NULL
);

-- A subject's archived entries, a page at a time.
CREATE INDEX access_log_archive_subject ON access_log_archive (subject_id, id);

CREATE TRIGGER access_log_archive_append_only BEFORE UPDATE OR DELETE ON access_log_archive
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER access_log_archive_no_truncate BEFORE TRUNCATE ON access_log_archive
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- archived_only lets a row of the access log be deleted only when the
-- archive holds it; SQLSTATE 23001, as append_only.
CREATE FUNCTION archived_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM access_log_archive WHERE id = OLD.id) THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION '% are append-only: an entry leaves them only for the archive', TG_TABLE_NAME
		USING ERRCODE = 'restrict_violation';
END;
$$;

DROP TRIGGER access_log_append_only ON access_log;
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER access_log_archived_only BEFORE DELETE ON access_log
	FOR EACH ROW EXECUTE FUNCTION archived_only();
