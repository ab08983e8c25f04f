-- 0011_commitments: credit commitments (信用承诺). A subject signs a
-- commitment (what, by which day, the rule a breach is recorded under, the
-- permit it grants at once); an official settles it once, as kept or
-- broken, in a row of its own. A breach names the record it made. Both
-- tables are append-only.
CREATE TABLE commitments (
	id          INTEGER NOT NULL PRIMARY KEY,
	scheme      TEXT    NOT NULL,
	subject_id  INTEGER NOT NULL REFERENCES subjects (id),
	what_zh     TEXT    NOT NULL,
	what_en     TEXT    NOT NULL,
	due         TEXT    NOT NULL,
	due_end     INTEGER NOT NULL,
	rule        TEXT    NOT NULL,
	permit      TEXT    NOT NULL,
	signed_at   INTEGER NOT NULL,
	recorded_by TEXT    NOT NULL
);

CREATE INDEX commitments_scheme ON commitments (scheme, id);
CREATE INDEX commitments_subject ON commitments (subject_id, id);

CREATE TABLE commitment_settlements (
	commitment_id INTEGER NOT NULL PRIMARY KEY REFERENCES commitments (id),
	outcome       TEXT    NOT NULL CHECK (outcome IN ('fulfilled', 'breached')),
	note          TEXT    NOT NULL,
	settled_at    INTEGER NOT NULL,
	settled_by    TEXT    NOT NULL,
	record_id     INTEGER REFERENCES records (id)
);

CREATE TRIGGER commitments_no_update BEFORE UPDATE ON commitments
BEGIN
	SELECT RAISE(ABORT, 'commitments are append-only');
END;

CREATE TRIGGER commitments_no_delete BEFORE DELETE ON commitments
BEGIN
	SELECT RAISE(ABORT, 'commitments are append-only');
END;

CREATE TRIGGER commitment_settlements_no_update BEFORE UPDATE ON commitment_settlements
BEGIN
	SELECT RAISE(ABORT, 'commitment settlements are append-only');
END;

CREATE TRIGGER commitment_settlements_no_delete BEFORE DELETE ON commitment_settlements
BEGIN
	SELECT RAISE(ABORT, 'commitment settlements are append-only');
END;
