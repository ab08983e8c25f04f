-- 0008_idempotency: an Idempotency-Key is claimed in the transaction of the
-- request it guards, and the response kept in that same transaction. The
-- claim is a row with status 0 and no body, filled in once before commit:
-- a kept response may change only from that pending state, and never again.
DROP TRIGGER saved_responses_no_update;

CREATE TRIGGER saved_responses_kept_once BEFORE UPDATE ON saved_responses
WHEN OLD.status <> 0 OR NEW.status = 0
	OR NEW.actor IS NOT OLD.actor OR NEW.key IS NOT OLD.key
	OR NEW.request_hash IS NOT OLD.request_hash OR NEW.at IS NOT OLD.at
BEGIN
	SELECT RAISE(ABORT, 'a saved response is kept once');
END;

-- Replays kept by earlier versions held a created token's secret in plain
-- text. They are dropped: a retry with such a key makes a new token.
DELETE FROM saved_responses WHERE instr(body, CAST('"token":"tly_' AS BLOB)) > 0;
