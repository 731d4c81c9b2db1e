-- Whether a change of at most x keeps a score within tolerance tol (ViewIndex.within): an exact view (tol = 0) takes no change.
CREATE OR REPLACE FUNCTION augur.screen_within(x float8, tol float8) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT x <= tol AND NOT (tol = 0 AND x > 0)
$$;
