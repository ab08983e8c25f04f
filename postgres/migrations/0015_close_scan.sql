-- 0015_close_scan: records_rule also holds each record's expiry and
-- rulebook version, so that a close sums a page of subjects' records from
-- the index alone, in its order (subject, rule), without reading a table
-- row per record. Added at the end of the key, they leave the caps' sums
-- (a subject's records of one rule in a time range) as they were; the
-- import writes one index entry per record as before, a few bytes wider.
DROP INDEX records_rule;
CREATE INDEX records_rule ON records (scheme, subject_id, rule, happened_at, awarded, reverses, expires_at, version);
