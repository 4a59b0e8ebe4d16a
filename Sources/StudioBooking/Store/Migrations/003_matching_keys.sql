-- The keys customers are matched by (CONTRACT.md §5), as immutable functions so that indexes
-- can hold them: legacy rows keep their phones as typed, and still match.

-- Digits only; +62… and 62… become 0…; no digits at all is no phone.
CREATE OR REPLACE FUNCTION sb_normalize_phone(raw text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN digits = '' THEN NULL
    WHEN left(digits, 2) = '62' THEN '0' || substr(digits, 3)
    ELSE digits
  END
  FROM (SELECT regexp_replace(coalesce(raw, ''), '[^0-9]', '', 'g') AS digits) AS d
$$;

-- A name compared trimmed, case- and space-insensitively.
CREATE OR REPLACE FUNCTION sb_name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(regexp_replace(name, '\s+', '', 'g'))
$$;

-- The number inside a code of the form CS-000123; NULL for codes of any other form.
CREATE OR REPLACE FUNCTION sb_kode_number(kode text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substring(kode FROM '^CS-([0-9]{1,9})$')::integer
$$;

CREATE INDEX IF NOT EXISTS customer_telp_key_idx ON customer (sb_normalize_phone(telp));
CREATE INDEX IF NOT EXISTS customer_email_key_idx ON customer (lower(email));
CREATE INDEX IF NOT EXISTS customer_name_key_nophone_idx ON customer (sb_name_key(nama_cs))
  WHERE sb_normalize_phone(telp) IS NULL;
CREATE INDEX IF NOT EXISTS customer_kode_number_idx ON customer (sb_kode_number(kode_cs));
