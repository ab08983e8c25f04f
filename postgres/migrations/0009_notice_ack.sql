-- 0009_notice_ack: a subject acknowledges a notice ("I have read this"),
-- once: who said so and when. Like every due-process table it is
-- append-only.
CREATE TABLE notice_acks (
	notice_id       BIGINT NOT NULL PRIMARY KEY REFERENCES notices (id),
	acknowledged_at BIGINT NOT NULL,
	acknowledged_by TEXT   NOT NULL
);

CREATE TRIGGER notice_acks_append_only BEFORE UPDATE OR DELETE ON notice_acks
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER notice_acks_no_truncate BEFORE TRUNCATE ON notice_acks
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
