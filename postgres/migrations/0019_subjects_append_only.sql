-- 0019_subjects_append_only: subjects are only ever added (tally changes
-- no subject's identity, name or sealed identifier once stored), and
-- each is logged (issue 21): its leaf is what binds the ID records name
-- to the identifier checks go by. Like the other logged tables they are
-- append-only.
CREATE TRIGGER subjects_append_only BEFORE UPDATE OR DELETE ON subjects
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER subjects_no_truncate BEFORE TRUNCATE ON subjects
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
