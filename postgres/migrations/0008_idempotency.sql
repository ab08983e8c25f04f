-- 0008_idempotency: an Idempotency-Key is claimed in the transaction of the
-- request it guards, and the response kept in that same transaction. The
-- claim is a row with status 0 and no body, filled in once before commit:
-- a kept response may change only from that pending state, and never again.
DROP TRIGGER saved_responses_append_only ON saved_responses;

-- saved_response_kept_once refuses any other change with SQLSTATE 23001
-- (restrict_violation), as append_only does.
CREATE FUNCTION saved_response_kept_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.status <> 0 OR NEW.status = 0
		OR NEW.actor <> OLD.actor OR NEW.key <> OLD.key
		OR NEW.request_hash <> OLD.request_hash OR NEW.at <> OLD.at THEN
		RAISE EXCEPTION 'a saved response is kept once'
			USING ERRCODE = 'restrict_violation';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER saved_responses_kept_once BEFORE UPDATE ON saved_responses
	FOR EACH ROW EXECUTE FUNCTION saved_response_kept_once();

-- Replays kept by earlier versions held a created token's secret in plain
-- text. They are dropped: a retry with such a key makes a new token.
DELETE FROM saved_responses WHERE position('"token":"tly_'::bytea IN body) > 0;
