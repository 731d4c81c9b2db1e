CREATE OR REPLACE FUNCTION augur.strs(a text[]) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(augur.str(v), ''::bytea ORDER BY i), ''::bytea) FROM pg_catalog.unnest(a) WITH ORDINALITY AS t(v, i)
$$;
