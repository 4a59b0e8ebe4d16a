-- Brings customer_search up to date with the changes noted so far, at most p_limit of the notes
-- (all of them when NULL), and answers how many notes it took in, or NULL when p_wait is false and
-- another refresh is running. One refresh at a time (an advisory lock): a search waits for one in
-- flight, and then sees what it wrote. The notes are deleted by the statement that reads them, so a
-- note added meanwhile waits for the next refresh. A merged or erased customer (migration 016) has
-- no row: staff never find them.
CREATE OR REPLACE FUNCTION sb_customer_search_refresh(p_wait boolean, p_limit integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_count integer;
BEGIN
  IF p_wait THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('sb:customer_search', 0));
  ELSIF NOT pg_try_advisory_xact_lock(hashtextextended('sb:customer_search', 0)) THEN
    RETURN NULL;
  END IF;
  WITH noted AS (
    DELETE FROM customer_search_stale
    WHERE ctid = ANY (ARRAY(SELECT ctid FROM customer_search_stale LIMIT p_limit))
    RETURNING id_customer
  ), changed AS (
    SELECT DISTINCT id_customer FROM noted
  ), gone AS (
    DELETE FROM customer_search s
    USING changed g
    WHERE s.id_customer = g.id_customer
      AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id_customer = g.id_customer
                      AND c.digabung_ke IS NULL AND c.dihapus_pada IS NULL)
  ), written AS (
    INSERT INTO customer_search (id_customer, search_text)
    SELECT c.id_customer, sb_customer_search_text(c.kode_cs, c.nama_cs, c.email, c.telp)
    FROM customer c JOIN changed g USING (id_customer)
    WHERE c.digabung_ke IS NULL AND c.dihapus_pada IS NULL
    ON CONFLICT (id_customer) DO UPDATE SET search_text = excluded.search_text
      WHERE customer_search.search_text IS DISTINCT FROM excluded.search_text
  )
  SELECT count(*) INTO v_count FROM noted;
  RETURN v_count;
END
$$;
