-- A customer code from its number: CS-000001; wider past 999999. The one place codes are written.
CREATE OR REPLACE FUNCTION sb_kode(n integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 'CS-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END
$$;
