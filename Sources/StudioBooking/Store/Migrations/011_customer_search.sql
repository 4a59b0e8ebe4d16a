-- The staff search's trigram index, kept off the booking path.
--
-- Migration 009 first built it on the customer table itself. Then every new customer's booking
-- inserted some sixty trigrams into it, inside the batch's transaction, on the one backend all
-- bookings of a responder go through; and now and then the booking that filled the index's
-- pending list merged it into the index while the whole batch waited. Measured with `bench/run`
-- (book, 16 connections, 2-core VM): p99 14-20 ms with that index, 8.5 ms without it; with
-- fastupdate off (no pending list), book fell from ~3,800 to ~2,200-2,900 bookings/s.
--
-- So the search text lives in a table of its own, customer_search, which bookings do not write.
-- A booking (or an older system writing to customer directly) only notes which customer changed,
-- in customer_search_stale: a row appended to a table without any index. Whoever searches brings
-- customer_search up to date first (sb_customer_search_refresh), and each responder does so in the
-- background, a few hundred notes at a time, so the notes never pile up. The trigrams are then
-- inserted by one backend that no booking waits for.
DROP INDEX IF EXISTS customer_search_trgm_idx;

CREATE TABLE IF NOT EXISTS customer_search (
  id_customer integer PRIMARY KEY,
  search_text text NOT NULL       -- sb_customer_search_text of the customer's row
);
CREATE INDEX IF NOT EXISTS customer_search_text_trgm_idx ON customer_search USING gin (search_text gin_trgm_ops);

-- Customers whose search text may have changed since customer_search was last brought up to date.
-- No index and no key: the cheapest write there is; it is read whole and emptied by the refresh.
CREATE TABLE IF NOT EXISTS customer_search_stale (id_customer integer NOT NULL);
-- It is emptied all day, so every vacuum would find empty pages at its end and cut them off, under
-- a lock that holds back the bookings' notes (and so their batch) while it lasts. The pages stay
-- instead, for the next notes.
ALTER TABLE customer_search_stale SET (vacuum_truncate = false);

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

CREATE OR REPLACE FUNCTION sb_customer_search_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE customer_search, customer_search_stale;
  RETURN NULL;
END
$$;

-- A returning customer's booking updates their row, mostly the booking date and the address: the
-- WHEN clause lets those pass without calling anything.
DROP TRIGGER IF EXISTS customer_search_note_insert_delete ON customer;
CREATE TRIGGER customer_search_note_insert_delete AFTER INSERT OR DELETE ON customer
  FOR EACH ROW EXECUTE FUNCTION sb_customer_search_note();
DROP TRIGGER IF EXISTS customer_search_note_update ON customer;
CREATE TRIGGER customer_search_note_update AFTER UPDATE ON customer
  FOR EACH ROW
  WHEN (OLD.id_customer IS DISTINCT FROM NEW.id_customer OR OLD.kode_cs IS DISTINCT FROM NEW.kode_cs
        OR OLD.nama_cs IS DISTINCT FROM NEW.nama_cs OR OLD.email IS DISTINCT FROM NEW.email
        OR OLD.telp IS DISTINCT FROM NEW.telp)
  EXECUTE FUNCTION sb_customer_search_note();
DROP TRIGGER IF EXISTS customer_search_truncated ON customer;
CREATE TRIGGER customer_search_truncated AFTER TRUNCATE ON customer
  FOR EACH STATEMENT EXECUTE FUNCTION sb_customer_search_truncated();

-- Brings customer_search up to date with the changes noted so far, at most p_limit of the notes
-- (all of them when NULL), and answers how many notes it took in, or NULL when p_wait is false and
-- another refresh is running. One refresh at a time (an advisory lock): a search waits for one in
-- flight, and then sees what it wrote. The notes are deleted by the statement that reads them, so a
-- note added meanwhile waits for the next refresh.
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
      AND NOT EXISTS (SELECT 1 FROM customer c WHERE c.id_customer = g.id_customer)
  ), written AS (
    INSERT INTO customer_search (id_customer, search_text)
    SELECT c.id_customer, sb_customer_search_text(c.kode_cs, c.nama_cs, c.email, c.telp)
    FROM customer c JOIN changed g USING (id_customer)
    ON CONFLICT (id_customer) DO UPDATE SET search_text = excluded.search_text
      WHERE customer_search.search_text IS DISTINCT FROM excluded.search_text
  )
  SELECT count(*) INTO v_count FROM noted;
  RETURN v_count;
END
$$;

-- Every customer there is, once: the triggers exist already, and they hold back writes to customer
-- until this script commits, so no customer is missed or noted twice over.
INSERT INTO customer_search (id_customer, search_text)
SELECT id_customer, sb_customer_search_text(kode_cs, nama_cs, email, telp) FROM customer
ON CONFLICT (id_customer) DO NOTHING;
