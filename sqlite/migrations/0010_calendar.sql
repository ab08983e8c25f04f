-- 0010_calendar: years of the working-day calendar imported after a
-- release (`tally calendar import`), each year's days off and make-up
-- working days as the calendar file writes them (JSON). Append-only: a
-- corrected notice is a new row, and the latest row of a year counts.
CREATE TABLE calendar_years (
	id          INTEGER NOT NULL PRIMARY KEY,
	year        INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	days        TEXT    NOT NULL,
	imported_at INTEGER NOT NULL,
	imported_by TEXT    NOT NULL
);

CREATE INDEX calendar_years_year ON calendar_years (year, id);

CREATE TRIGGER calendar_years_no_update BEFORE UPDATE ON calendar_years
BEGIN
	SELECT RAISE(ABORT, 'calendar years are append-only');
END;

CREATE TRIGGER calendar_years_no_delete BEFORE DELETE ON calendar_years
BEGIN
	SELECT RAISE(ABORT, 'calendar years are append-only');
END;
