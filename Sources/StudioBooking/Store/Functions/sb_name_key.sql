-- A name as customers without a phone are matched by: trimmed, case- and space-insensitively.
-- Indexes hold its results (migrations 003, 010): a body that answers differently for any input
-- needs a numbered migration that rebuilds them.
CREATE OR REPLACE FUNCTION sb_name_key(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(regexp_replace(name, '\s+', '', 'g'))
$$;
