-- ------------------------------------------------------------------------------------------ bag of words
-- The engine's tokenizer: ASCII letters lower-cased, split on anything that is not [a-z0-9]. translate()
-- (not lower()) so that no locale maps a non-ASCII letter to an ASCII one.
CREATE OR REPLACE FUNCTION augur.tokens(body text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_remove(regexp_split_to_array(
        translate(body, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'),
        '[^abcdefghijklmnopqrstuvwxyz0123456789]+'), '')
$$;
