-- 0006_close: period closes (snapshots of every enrolled subject's
-- standing at a month's end, their category totals and the late records
-- they list), consents to publication on the honour board, and the credit
-- reports issued.
--
-- Everything here is append-only: a close is written once, in the
-- transaction that makes it, and read back unchanged; a withdrawn consent
-- to publication is a new row. A close's rows refer to its header by a
-- deferred foreign key: the header, which holds the digest of the rows, is
-- written last in the same transaction.

CREATE TABLE publication_consents (
	id         INTEGER NOT NULL PRIMARY KEY,
	scheme     TEXT    NOT NULL,
	subject_id INTEGER NOT NULL,
	given      INTEGER NOT NULL CHECK (given IN (0, 1)),
	at         INTEGER NOT NULL,
	how        TEXT    NOT NULL,
	decided_by TEXT    NOT NULL,
	FOREIGN KEY (scheme, subject_id) REFERENCES enrolments (scheme, subject_id)
);

CREATE INDEX publication_consents_enrolment ON publication_consents (scheme, subject_id, at);

CREATE TABLE closes (
	scheme    TEXT    NOT NULL,
	period    TEXT    NOT NULL,
	version   INTEGER NOT NULL,
	starts    INTEGER NOT NULL,
	ends      INTEGER NOT NULL,
	as_of     INTEGER NOT NULL,
	closed_at INTEGER NOT NULL,
	closed_by TEXT    NOT NULL,
	subjects  INTEGER NOT NULL,
	records   INTEGER NOT NULL,
	late      INTEGER NOT NULL,
	digest    TEXT    NOT NULL,
	PRIMARY KEY (scheme, period)
);

CREATE TABLE close_rows (
	scheme     TEXT    NOT NULL,
	period     TEXT    NOT NULL,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	unit       TEXT    NOT NULL,
	masked     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	scored     INTEGER NOT NULL CHECK (scored IN (0, 1)),
	unscored   TEXT    NOT NULL,
	opening    INTEGER,
	gains      INTEGER NOT NULL,
	losses     INTEGER NOT NULL,
	expired    INTEGER NOT NULL,
	closing    INTEGER,
	grade      TEXT    NOT NULL,
	flags      INTEGER NOT NULL,
	stars      INTEGER NOT NULL,
	previous   INTEGER,
	records    INTEGER NOT NULL,
	published  INTEGER NOT NULL CHECK (published IN (0, 1)),
	PRIMARY KEY (scheme, period, subject_id),
	FOREIGN KEY (scheme, period) REFERENCES closes (scheme, period) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE close_totals (
	scheme   TEXT    NOT NULL,
	period   TEXT    NOT NULL,
	unit     TEXT    NOT NULL,
	category TEXT    NOT NULL,
	gains    INTEGER NOT NULL,
	losses   INTEGER NOT NULL,
	records  INTEGER NOT NULL,
	PRIMARY KEY (scheme, period, unit, category),
	FOREIGN KEY (scheme, period) REFERENCES closes (scheme, period) DEFERRABLE INITIALLY DEFERRED
);

-- close_late.record_id has no foreign key to records: PostgreSQL would
-- then refuse TRUNCATE records before its append-only trigger says why.
CREATE TABLE close_late (
	scheme    TEXT    NOT NULL,
	period    TEXT    NOT NULL,
	record_id INTEGER NOT NULL,
	PRIMARY KEY (scheme, period, record_id),
	FOREIGN KEY (scheme, period) REFERENCES closes (scheme, period) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE reports (
	code       TEXT    NOT NULL PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	masked     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	purpose    TEXT    NOT NULL,
	lang       TEXT    NOT NULL,
	issued_at  INTEGER NOT NULL,
	issued_by  TEXT    NOT NULL,
	digest     TEXT    NOT NULL,
	content    BLOB    NOT NULL
);

-- One-time codes for the kiosk: an administrator gives a resident a code
-- at the desk; the resident types it with their ID number at the city-hall
-- machine. Only a keyed hash of the code is kept; a use is a row of its own.
CREATE TABLE kiosk_codes (
	id         INTEGER NOT NULL PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	hash       BLOB    NOT NULL UNIQUE,
	issued_at  INTEGER NOT NULL,
	issued_by  TEXT    NOT NULL,
	expires    INTEGER NOT NULL
);

CREATE TABLE kiosk_code_uses (
	code_id INTEGER NOT NULL PRIMARY KEY REFERENCES kiosk_codes (id),
	used_at INTEGER NOT NULL
);

CREATE TRIGGER publication_consents_no_update BEFORE UPDATE ON publication_consents
BEGIN
	SELECT RAISE(ABORT, 'publication consents are append-only');
END;

CREATE TRIGGER publication_consents_no_delete BEFORE DELETE ON publication_consents
BEGIN
	SELECT RAISE(ABORT, 'publication consents are append-only');
END;

CREATE TRIGGER closes_no_update BEFORE UPDATE ON closes
BEGIN
	SELECT RAISE(ABORT, 'closes are append-only');
END;

CREATE TRIGGER closes_no_delete BEFORE DELETE ON closes
BEGIN
	SELECT RAISE(ABORT, 'closes are append-only');
END;

CREATE TRIGGER close_rows_no_update BEFORE UPDATE ON close_rows
BEGIN
	SELECT RAISE(ABORT, 'close rows are append-only');
END;

CREATE TRIGGER close_rows_no_delete BEFORE DELETE ON close_rows
BEGIN
	SELECT RAISE(ABORT, 'close rows are append-only');
END;

CREATE TRIGGER close_totals_no_update BEFORE UPDATE ON close_totals
BEGIN
	SELECT RAISE(ABORT, 'close totals are append-only');
END;

CREATE TRIGGER close_totals_no_delete BEFORE DELETE ON close_totals
BEGIN
	SELECT RAISE(ABORT, 'close totals are append-only');
END;

CREATE TRIGGER close_late_no_update BEFORE UPDATE ON close_late
BEGIN
	SELECT RAISE(ABORT, 'close late are append-only');
END;

CREATE TRIGGER close_late_no_delete BEFORE DELETE ON close_late
BEGIN
	SELECT RAISE(ABORT, 'close late are append-only');
END;

CREATE TRIGGER reports_no_update BEFORE UPDATE ON reports
BEGIN
	SELECT RAISE(ABORT, 'reports are append-only');
END;

CREATE TRIGGER reports_no_delete BEFORE DELETE ON reports
BEGIN
	SELECT RAISE(ABORT, 'reports are append-only');
END;

CREATE TRIGGER kiosk_codes_no_update BEFORE UPDATE ON kiosk_codes
BEGIN
	SELECT RAISE(ABORT, 'kiosk codes are append-only');
END;

CREATE TRIGGER kiosk_codes_no_delete BEFORE DELETE ON kiosk_codes
BEGIN
	SELECT RAISE(ABORT, 'kiosk codes are append-only');
END;

CREATE TRIGGER kiosk_code_uses_no_update BEFORE UPDATE ON kiosk_code_uses
BEGIN
	SELECT RAISE(ABORT, 'kiosk code uses are append-only');
END;

CREATE TRIGGER kiosk_code_uses_no_delete BEFORE DELETE ON kiosk_code_uses
BEGIN
	SELECT RAISE(ABORT, 'kiosk code uses are append-only');
END;
