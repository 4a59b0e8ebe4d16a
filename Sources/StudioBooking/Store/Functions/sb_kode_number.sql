-- The number inside a customer code of the form sb_kode writes (CS-000123); NULL for codes of any
-- other form. An index holds its results (migration 003): a body that answers differently for any
-- input needs a numbered migration that rebuilds it.
CREATE OR REPLACE FUNCTION sb_kode_number(kode text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT substring(kode FROM '^CS-([0-9]{1,9})$')::integer
$$;
