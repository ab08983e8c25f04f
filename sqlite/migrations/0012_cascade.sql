-- 0012_cascade: revoked source decisions. A row records that the decision
-- with a case or decision number was revoked or changed, when, by whom,
-- the end of the cascade clock, and what the cascade removed and reversed
-- (list entry and record IDs, space-separated). Append-only; one per source.
CREATE TABLE cascades (
	id          INTEGER NOT NULL PRIMARY KEY,
	source      TEXT    NOT NULL UNIQUE,
	change      TEXT    NOT NULL CHECK (change IN ('revoked', 'changed')),
	revoked_on  INTEGER NOT NULL,
	note        TEXT    NOT NULL,
	due         INTEGER NOT NULL,
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT    NOT NULL,
	entries     TEXT    NOT NULL,
	records     TEXT    NOT NULL
);

CREATE INDEX list_entries_case ON list_entries (case_number);

CREATE TRIGGER cascades_no_update BEFORE UPDATE ON cascades
BEGIN
	SELECT RAISE(ABORT, 'cascades are append-only');
END;

CREATE TRIGGER cascades_no_delete BEFORE DELETE ON cascades
BEGIN
	SELECT RAISE(ABORT, 'cascades are append-only');
END;
