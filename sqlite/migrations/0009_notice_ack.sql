-- 0009_notice_ack: a subject acknowledges a notice ("I have read this"),
-- once: who said so and when. Like every due-process table it is
-- append-only.
CREATE TABLE notice_acks (
	notice_id       INTEGER NOT NULL PRIMARY KEY REFERENCES notices (id),
	acknowledged_at INTEGER NOT NULL,
	acknowledged_by TEXT    NOT NULL
);

CREATE TRIGGER notice_acks_no_update BEFORE UPDATE ON notice_acks
BEGIN
	SELECT RAISE(ABORT, 'notice acks are append-only');
END;

CREATE TRIGGER notice_acks_no_delete BEFORE DELETE ON notice_acks
BEGIN
	SELECT RAISE(ABORT, 'notice acks are append-only');
END;
