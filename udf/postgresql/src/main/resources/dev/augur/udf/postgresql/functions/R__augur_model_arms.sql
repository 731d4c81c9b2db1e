-- The arms of a generated PREDICT-family function for version ver of model nm: 'nm@ver', and 'nm' while that version is
-- deployed, each answered by expr (SQL text)
CREATE OR REPLACE FUNCTION augur.model_arms(nm text, ver integer, deployed boolean, expr text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.format(' WHEN %L THEN %s', nm || '@' || ver, expr) || CASE WHEN deployed THEN pg_catalog.format(' WHEN %L THEN %s', nm, expr) ELSE '' END
$$;
