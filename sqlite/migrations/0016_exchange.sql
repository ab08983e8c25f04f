-- 0016_exchange: what an instance shares with others and takes in from
-- them (issue 20). agreements holds every version of each data-sharing
-- agreement as published (lists and rules as JSON arrays of ids), and is
-- append-only. shares is the outbox: a change written in the transaction
-- that made it, numbered per receiver, and marked published once (only
-- published_at may change, and only from NULL). received_shares says how
-- far each issuer's changes are applied; rejected_shares keeps every
-- message refused, append-only.
CREATE TABLE agreements (
	id           TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	issuer       TEXT    NOT NULL,
	receiver     TEXT    NOT NULL,
	lists        TEXT    NOT NULL,
	rules        TEXT    NOT NULL,
	purpose_zh   TEXT    NOT NULL,
	purpose_en   TEXT    NOT NULL,
	basis_zh     TEXT    NOT NULL,
	basis_en     TEXT    NOT NULL,
	digest       TEXT    NOT NULL,
	source       BLOB    NOT NULL,
	published_at INTEGER NOT NULL,
	published_by TEXT    NOT NULL,
	PRIMARY KEY (id, version)
);

CREATE TABLE shares (
	id           INTEGER NOT NULL PRIMARY KEY,
	receiver     TEXT    NOT NULL,
	seq          INTEGER NOT NULL,
	subject_id   INTEGER NOT NULL REFERENCES subjects (id),
	change       TEXT    NOT NULL,
	created_at   INTEGER NOT NULL,
	published_at INTEGER,
	UNIQUE (receiver, seq)
);

-- What the publisher has still to send, in order.
CREATE INDEX shares_pending ON shares (id) WHERE published_at IS NULL;
-- What was sent about a subject.
CREATE INDEX shares_subject ON shares (subject_id, id);

CREATE TABLE received_shares (
	issuer TEXT    NOT NULL PRIMARY KEY,
	seq    INTEGER NOT NULL
);

CREATE TABLE rejected_shares (
	id      INTEGER NOT NULL PRIMARY KEY,
	at      INTEGER NOT NULL,
	issuer  TEXT    NOT NULL,
	seq     INTEGER NOT NULL,
	reason  TEXT    NOT NULL,
	message BLOB    NOT NULL
);

CREATE TRIGGER agreements_no_update BEFORE UPDATE ON agreements
BEGIN
	SELECT RAISE(ABORT, 'agreements are append-only');
END;

CREATE TRIGGER agreements_no_delete BEFORE DELETE ON agreements
BEGIN
	SELECT RAISE(ABORT, 'agreements are append-only');
END;

CREATE TRIGGER shares_published_once BEFORE UPDATE ON shares
WHEN OLD.published_at IS NOT NULL OR NEW.published_at IS NULL
	OR NEW.id IS NOT OLD.id OR NEW.receiver IS NOT OLD.receiver OR NEW.seq IS NOT OLD.seq
	OR NEW.subject_id IS NOT OLD.subject_id OR NEW.change IS NOT OLD.change OR NEW.created_at IS NOT OLD.created_at
BEGIN
	SELECT RAISE(ABORT, 'a share is marked published once and never changed');
END;

CREATE TRIGGER shares_no_delete BEFORE DELETE ON shares
BEGIN
	SELECT RAISE(ABORT, 'shares are append-only');
END;

CREATE TRIGGER rejected_shares_no_update BEFORE UPDATE ON rejected_shares
BEGIN
	SELECT RAISE(ABORT, 'rejected shares are append-only');
END;

CREATE TRIGGER rejected_shares_no_delete BEFORE DELETE ON rejected_shares
BEGIN
	SELECT RAISE(ABORT, 'rejected shares are append-only');
END;
