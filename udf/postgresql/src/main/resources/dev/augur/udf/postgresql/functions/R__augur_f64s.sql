CREATE OR REPLACE FUNCTION augur.f64s(a float8[]) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(float8send(v), ''::bytea ORDER BY i), ''::bytea) FROM pg_catalog.unnest(a) WITH ORDINALITY AS t(v, i)
$$;
