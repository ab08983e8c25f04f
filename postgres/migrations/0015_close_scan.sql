-- 0015_close_scan: records_rule also holds each record's expiry and
-- rulebook version, so that a close sums a page of subjects' records from
-- the index alone, in its order (subject, rule), without reading a table
-- row per record. Added at the end of the key, they leave the caps' sums
-- (a subject's records of one rule in a time range) as they were; the
-- import writes one index entry per record as before, a few bytes wider.
--
-- close_rows loses its two foreign keys (to subjects, and to its header in
-- closes), which made every row of a close a lookup in each: on
-- PostgreSQL a trigger per row, two thirds of the time it took to write a
-- close's 100,000 rows. Only a close writes them, in the transaction that
-- writes its header, for subjects it reads in that transaction; subjects
-- and closes are append-only, so nothing they name can go away.
DROP INDEX records_rule;
CREATE INDEX records_rule ON records (scheme, subject_id, rule, happened_at, awarded, reverses, expires_at, version);

ALTER TABLE close_rows DROP CONSTRAINT close_rows_subject_id_fkey, DROP CONSTRAINT close_rows_scheme_period_fkey;
