-- 0019_subjects_append_only: subjects are only ever added (tally changes
-- no subject's identity, name or sealed identifier once stored), and
-- each is logged (issue 21): its leaf is what binds the ID records name
-- to the identifier checks go by. Like the other logged tables they are
-- append-only.
CREATE TRIGGER subjects_no_update BEFORE UPDATE ON subjects
BEGIN
	SELECT RAISE(ABORT, 'subjects are append-only');
END;

CREATE TRIGGER subjects_no_delete BEFORE DELETE ON subjects
BEGIN
	SELECT RAISE(ABORT, 'subjects are append-only');
END;
