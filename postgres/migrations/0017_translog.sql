-- 0017_translog: the transparency log (issue 21). log_leaves holds one
-- leaf a logged entry: its position (from 0), the entry's kind and key
-- (ref), the public commitment (data), the entry's secret salt, never
-- served, and when it was appended. log_hashes holds the tree's stored
-- hashes by tlog's stored-hash index; log_checkpoints every signed
-- checkpoint, by tree size. All three are append-only.
CREATE TABLE log_leaves (
	idx  BIGINT NOT NULL PRIMARY KEY,
	kind TEXT   NOT NULL,
	ref  TEXT   NOT NULL,
	data BYTEA  NOT NULL,
	salt BYTEA  NOT NULL,
	at   BIGINT NOT NULL,
	UNIQUE (kind, ref)
);

CREATE TABLE log_hashes (
	id   BIGINT NOT NULL PRIMARY KEY,
	hash BYTEA  NOT NULL
);

CREATE TABLE log_checkpoints (
	size BIGINT NOT NULL PRIMARY KEY,
	root BYTEA  NOT NULL,
	at   BIGINT NOT NULL,
	note BYTEA  NOT NULL
);

CREATE TRIGGER log_leaves_append_only BEFORE UPDATE OR DELETE ON log_leaves
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON log_leaves
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER log_hashes_append_only BEFORE UPDATE OR DELETE ON log_hashes
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER log_hashes_no_truncate BEFORE TRUNCATE ON log_hashes
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
