-- Trigger function on customer (migration 011): a customer table emptied at once empties its
-- search index and the notes with it.
CREATE OR REPLACE FUNCTION sb_customer_search_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_search, customer_search_stale;
  RETURN NULL;
END
$$;
