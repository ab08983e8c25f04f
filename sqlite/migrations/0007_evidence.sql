-- 0007_evidence: each evidence file is attached as an item, uploaded by one
-- person for one scheme, and bound to the one record that cites it. A file
-- is read only through that record, so that whoever may not read the record
-- cannot read the file, and a file uploaded for one scheme or already bound
-- to one record cannot be cited by another. The bytes stay in evidence,
-- once per content; both tables here are append-only.

CREATE TABLE evidence_items (
	id          INTEGER NOT NULL PRIMARY KEY,
	hash        TEXT    NOT NULL REFERENCES evidence (hash),
	scheme      TEXT    NOT NULL,
	uploaded_at INTEGER NOT NULL,
	uploaded_by TEXT    NOT NULL
);

-- PendingEvidence: one uploader's items of a file in a scheme.
CREATE INDEX evidence_items_upload ON evidence_items (scheme, hash, uploaded_by, id);

CREATE TABLE evidence_bindings (
	item_id   INTEGER NOT NULL PRIMARY KEY REFERENCES evidence_items (id),
	record_id INTEGER NOT NULL UNIQUE REFERENCES records (id)
);

-- Records written before this migration that cite a stored file keep it:
-- one item each, numbered as the record, uploaded as the file was.
INSERT INTO evidence_items (id, hash, scheme, uploaded_at, uploaded_by)
	SELECT r.id, e.hash, r.scheme, e.uploaded_at, e.uploaded_by
	FROM records r JOIN evidence e ON e.hash = substr(r.evidence, 8, 64)
	WHERE r.evidence LIKE 'sha256:%';
INSERT INTO evidence_bindings (item_id, record_id) SELECT id, id FROM evidence_items;

CREATE TRIGGER evidence_items_no_update BEFORE UPDATE ON evidence_items
BEGIN
	SELECT RAISE(ABORT, 'evidence items are append-only');
END;

CREATE TRIGGER evidence_items_no_delete BEFORE DELETE ON evidence_items
BEGIN
	SELECT RAISE(ABORT, 'evidence items are append-only');
END;

CREATE TRIGGER evidence_bindings_no_update BEFORE UPDATE ON evidence_bindings
BEGIN
	SELECT RAISE(ABORT, 'evidence bindings are append-only');
END;

CREATE TRIGGER evidence_bindings_no_delete BEFORE DELETE ON evidence_bindings
BEGIN
	SELECT RAISE(ABORT, 'evidence bindings are append-only');
END;
