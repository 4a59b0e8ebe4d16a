-- Trigger function on customer (migration 011): notes in customer_search_stale which customer's
-- search text may have changed, for sb_customer_search_refresh. A row appended to a table without
-- any index: the cheapest write there is, on the bookings' path.
CREATE OR REPLACE FUNCTION sb_customer_search_note() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO customer_search_stale VALUES (OLD.id_customer);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id_customer IS DISTINCT FROM OLD.id_customer) THEN
    INSERT INTO customer_search_stale VALUES (NEW.id_customer);
  END IF;
  RETURN NULL;
END
$$;
