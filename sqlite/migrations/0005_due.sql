-- 0005_due: due process. Holds (records that wait for a second person)
-- and their decisions; objections and appeals, their acknowledgements and
-- decisions; repairs and their decisions; notices to subjects, each
-- delivery attempt, and subjects' contact addresses (sealed like identity
-- numbers).
--
-- Every table is append-only: a decision is a row of its own, never an
-- edit. A record counts in a score only when it is not reversed, not held
-- without a decision, and no approved repair ended it at or before the
-- instant (see records.go).

CREATE TABLE holds (
	record_id  INTEGER NOT NULL PRIMARY KEY REFERENCES records (id),
	scheme     TEXT    NOT NULL,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	reason     TEXT    NOT NULL,
	held_at    INTEGER NOT NULL
);

-- The review queue of a scheme.
CREATE INDEX holds_scheme ON holds (scheme, record_id);
CREATE INDEX holds_subject ON holds (subject_id, record_id);

CREATE TABLE hold_decisions (
	record_id   INTEGER NOT NULL PRIMARY KEY REFERENCES holds (record_id),
	approved    INTEGER NOT NULL CHECK (approved IN (0, 1)),
	reasons     TEXT    NOT NULL,
	decided_at  INTEGER NOT NULL,
	decided_by  TEXT    NOT NULL,
	reversal_id INTEGER REFERENCES records (id)
);

CREATE TABLE objections (
	id             INTEGER NOT NULL PRIMARY KEY,
	scheme         TEXT    NOT NULL,
	subject_id     INTEGER NOT NULL REFERENCES subjects (id),
	target         TEXT    NOT NULL,
	target_id      INTEGER NOT NULL,
	grounds        TEXT    NOT NULL,
	evidence       TEXT    NOT NULL,
	filed_at       INTEGER NOT NULL,
	filed_by       TEXT    NOT NULL,
	appeal_of      INTEGER REFERENCES objections (id),
	acknowledge_by INTEGER NOT NULL,
	decide_by      INTEGER NOT NULL
);

-- One appeal per decision.
CREATE UNIQUE INDEX objections_appeal ON objections (appeal_of) WHERE appeal_of IS NOT NULL;
CREATE INDEX objections_subject ON objections (subject_id, id);
CREATE INDEX objections_scheme ON objections (scheme, id);

CREATE TABLE objection_acks (
	objection_id    INTEGER NOT NULL PRIMARY KEY REFERENCES objections (id),
	acknowledged_at INTEGER NOT NULL,
	acknowledged_by TEXT    NOT NULL
);

CREATE TABLE objection_decisions (
	objection_id  INTEGER NOT NULL PRIMARY KEY REFERENCES objections (id),
	outcome       TEXT    NOT NULL,
	reasons       TEXT    NOT NULL,
	decided_at    INTEGER NOT NULL,
	decided_by    TEXT    NOT NULL,
	record_id     INTEGER REFERENCES records (id),
	reversal_id   INTEGER REFERENCES records (id),
	correction_id INTEGER REFERENCES records (id),
	removal_id    INTEGER REFERENCES list_removals (id)
);

CREATE TABLE repairs (
	id          INTEGER NOT NULL PRIMARY KEY,
	scheme      TEXT    NOT NULL,
	subject_id  INTEGER NOT NULL REFERENCES subjects (id),
	record_id   INTEGER NOT NULL REFERENCES records (id),
	obligations TEXT    NOT NULL,
	applied_at  INTEGER NOT NULL,
	applied_by  TEXT    NOT NULL
);

CREATE INDEX repairs_record ON repairs (record_id);
CREATE INDEX repairs_scheme ON repairs (scheme, id);

CREATE TABLE repair_decisions (
	repair_id  INTEGER NOT NULL PRIMARY KEY REFERENCES repairs (id),
	record_id  INTEGER NOT NULL REFERENCES records (id),
	approved   INTEGER NOT NULL CHECK (approved IN (0, 1)),
	reasons    TEXT    NOT NULL,
	decided_at INTEGER NOT NULL,
	decided_by TEXT    NOT NULL
);

-- "Did an approved repair end this record by then?": one seek per record.
CREATE INDEX repair_decisions_record ON repair_decisions (record_id, approved, decided_at);

CREATE TABLE notices (
	id         INTEGER NOT NULL PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	scheme     TEXT    NOT NULL,
	kind       TEXT    NOT NULL,
	about      INTEGER NOT NULL,
	title      TEXT    NOT NULL,
	body       TEXT    NOT NULL,
	object_by  INTEGER,
	created_at INTEGER NOT NULL
);

CREATE INDEX notices_subject ON notices (subject_id, id);

CREATE TABLE notice_attempts (
	id        INTEGER NOT NULL PRIMARY KEY,
	notice_id INTEGER NOT NULL REFERENCES notices (id),
	at        INTEGER NOT NULL,
	sender    TEXT    NOT NULL,
	delivered INTEGER NOT NULL CHECK (delivered IN (0, 1)),
	error     TEXT    NOT NULL
);

CREATE INDEX notice_attempts_notice ON notice_attempts (notice_id, delivered);

CREATE TABLE contacts (
	id         INTEGER NOT NULL PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	sealed     BLOB    NOT NULL,
	masked     TEXT    NOT NULL,
	at         INTEGER NOT NULL,
	set_by     TEXT    NOT NULL
);

CREATE INDEX contacts_subject ON contacts (subject_id, id);

CREATE TRIGGER holds_no_update BEFORE UPDATE ON holds
BEGIN
	SELECT RAISE(ABORT, 'holds are append-only');
END;

CREATE TRIGGER holds_no_delete BEFORE DELETE ON holds
BEGIN
	SELECT RAISE(ABORT, 'holds are append-only');
END;

CREATE TRIGGER hold_decisions_no_update BEFORE UPDATE ON hold_decisions
BEGIN
	SELECT RAISE(ABORT, 'hold decisions are append-only');
END;

CREATE TRIGGER hold_decisions_no_delete BEFORE DELETE ON hold_decisions
BEGIN
	SELECT RAISE(ABORT, 'hold decisions are append-only');
END;

CREATE TRIGGER objections_no_update BEFORE UPDATE ON objections
BEGIN
	SELECT RAISE(ABORT, 'objections are append-only');
END;

CREATE TRIGGER objections_no_delete BEFORE DELETE ON objections
BEGIN
	SELECT RAISE(ABORT, 'objections are append-only');
END;

CREATE TRIGGER objection_acks_no_update BEFORE UPDATE ON objection_acks
BEGIN
	SELECT RAISE(ABORT, 'objection acks are append-only');
END;

CREATE TRIGGER objection_acks_no_delete BEFORE DELETE ON objection_acks
BEGIN
	SELECT RAISE(ABORT, 'objection acks are append-only');
END;

CREATE TRIGGER objection_decisions_no_update BEFORE UPDATE ON objection_decisions
BEGIN
	SELECT RAISE(ABORT, 'objection decisions are append-only');
END;

CREATE TRIGGER objection_decisions_no_delete BEFORE DELETE ON objection_decisions
BEGIN
	SELECT RAISE(ABORT, 'objection decisions are append-only');
END;

CREATE TRIGGER repairs_no_update BEFORE UPDATE ON repairs
BEGIN
	SELECT RAISE(ABORT, 'repairs are append-only');
END;

CREATE TRIGGER repairs_no_delete BEFORE DELETE ON repairs
BEGIN
	SELECT RAISE(ABORT, 'repairs are append-only');
END;

CREATE TRIGGER repair_decisions_no_update BEFORE UPDATE ON repair_decisions
BEGIN
	SELECT RAISE(ABORT, 'repair decisions are append-only');
END;

CREATE TRIGGER repair_decisions_no_delete BEFORE DELETE ON repair_decisions
BEGIN
	SELECT RAISE(ABORT, 'repair decisions are append-only');
END;

CREATE TRIGGER notices_no_update BEFORE UPDATE ON notices
BEGIN
	SELECT RAISE(ABORT, 'notices are append-only');
END;

CREATE TRIGGER notices_no_delete BEFORE DELETE ON notices
BEGIN
	SELECT RAISE(ABORT, 'notices are append-only');
END;

CREATE TRIGGER notice_attempts_no_update BEFORE UPDATE ON notice_attempts
BEGIN
	SELECT RAISE(ABORT, 'notice attempts are append-only');
END;

CREATE TRIGGER notice_attempts_no_delete BEFORE DELETE ON notice_attempts
BEGIN
	SELECT RAISE(ABORT, 'notice attempts are append-only');
END;

CREATE TRIGGER contacts_no_update BEFORE UPDATE ON contacts
BEGIN
	SELECT RAISE(ABORT, 'contacts are append-only');
END;

CREATE TRIGGER contacts_no_delete BEFORE DELETE ON contacts
BEGIN
	SELECT RAISE(ABORT, 'contacts are append-only');
END;
