-- 0014_proposals: notice before listing (陈述申辩). On a list whose
-- catalogue sets a statement period, a listing is first a proposal: the
-- decision the agency would take and the last instant the subject may
-- state its case. The subject's statement and the decision (list, naming
-- the entry made, or drop) are rows of their own, one each. All three
-- tables are append-only.
CREATE TABLE list_proposals (
	id          INTEGER NOT NULL PRIMARY KEY,
	list        TEXT    NOT NULL,
	subject_id  INTEGER NOT NULL REFERENCES subjects (id),
	name        TEXT    NOT NULL,
	case_number TEXT    NOT NULL,
	court       TEXT    NOT NULL,
	decided_on  INTEGER NOT NULL,
	grounds     TEXT    NOT NULL,
	basis       TEXT    NOT NULL,
	aggravation INTEGER NOT NULL,
	state_by    INTEGER NOT NULL,
	proposed_at INTEGER NOT NULL,
	proposed_by TEXT    NOT NULL,
	UNIQUE (list, case_number)
);

CREATE INDEX list_proposals_subject ON list_proposals (subject_id, id);

CREATE TABLE proposal_statements (
	proposal_id INTEGER NOT NULL PRIMARY KEY REFERENCES list_proposals (id),
	text        TEXT    NOT NULL,
	stated_at   INTEGER NOT NULL,
	stated_by   TEXT    NOT NULL
);

CREATE TABLE proposal_decisions (
	proposal_id INTEGER NOT NULL PRIMARY KEY REFERENCES list_proposals (id),
	listed      INTEGER NOT NULL CHECK (listed IN (0, 1)),
	reasons     TEXT    NOT NULL,
	entry_id    INTEGER REFERENCES list_entries (id),
	decided_at  INTEGER NOT NULL,
	decided_by  TEXT    NOT NULL
);

CREATE TRIGGER list_proposals_no_update BEFORE UPDATE ON list_proposals
BEGIN
	SELECT RAISE(ABORT, 'list proposals are append-only');
END;

CREATE TRIGGER list_proposals_no_delete BEFORE DELETE ON list_proposals
BEGIN
	SELECT RAISE(ABORT, 'list proposals are append-only');
END;

CREATE TRIGGER proposal_statements_no_update BEFORE UPDATE ON proposal_statements
BEGIN
	SELECT RAISE(ABORT, 'proposal statements are append-only');
END;

CREATE TRIGGER proposal_statements_no_delete BEFORE DELETE ON proposal_statements
BEGIN
	SELECT RAISE(ABORT, 'proposal statements are append-only');
END;

CREATE TRIGGER proposal_decisions_no_update BEFORE UPDATE ON proposal_decisions
BEGIN
	SELECT RAISE(ABORT, 'proposal decisions are append-only');
END;

CREATE TRIGGER proposal_decisions_no_delete BEFORE DELETE ON proposal_decisions
BEGIN
	SELECT RAISE(ABORT, 'proposal decisions are append-only');
END;
