-- What staff search customers by, as one lower-cased text: the code, the name, the email and the
-- normalized phone, so that a phone typed in any format finds the customer by its digits.
-- customer_search holds its results (migration 011): a body that answers differently needs a
-- numbered migration that writes them anew.
CREATE OR REPLACE FUNCTION sb_customer_search_text(kode text, nama text, email text, telp text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(coalesce(kode, '') || ' ' || coalesce(nama, '') || ' ' || coalesce(email, '') || ' '
               || coalesce(sb_normalize_phone(telp), ''))
$$;
