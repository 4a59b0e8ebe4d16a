-- Raised from inside a statement when what it decided no longer holds when it writes: a
-- serialization failure, so the responder sends the batch again and it is decided anew.
CREATE OR REPLACE FUNCTION sb_conflict(message text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
  RAISE serialization_failure USING MESSAGE = message;
END
$$;
