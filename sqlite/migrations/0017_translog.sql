-- 0017_translog: the transparency log (issue 21). log_leaves holds one
-- leaf a logged entry: its position (from 0), the entry's kind and key
-- (ref), the public commitment (data), the entry's secret salt, never
-- served, and when it was appended. log_hashes holds the tree's stored
-- hashes by tlog's stored-hash index; log_checkpoints every signed
-- checkpoint, by tree size. All three are append-only.
CREATE TABLE log_leaves (
	idx  INTEGER NOT NULL PRIMARY KEY,
	kind TEXT    NOT NULL,
	ref  TEXT    NOT NULL,
	data BLOB    NOT NULL,
	salt BLOB    NOT NULL,
	at   INTEGER NOT NULL,
	UNIQUE (kind, ref)
);

CREATE TABLE log_hashes (
	id   INTEGER NOT NULL PRIMARY KEY,
	hash BLOB    NOT NULL
);

CREATE TABLE log_checkpoints (
	size INTEGER NOT NULL PRIMARY KEY,
	root BLOB    NOT NULL,
	at   INTEGER NOT NULL,
	note BLOB    NOT NULL
);

CREATE TRIGGER log_leaves_no_update BEFORE UPDATE ON log_leaves
BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;

CREATE TRIGGER log_leaves_no_delete BEFORE DELETE ON log_leaves
BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;

CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes
BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;

CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes
BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;

CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;

CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;
