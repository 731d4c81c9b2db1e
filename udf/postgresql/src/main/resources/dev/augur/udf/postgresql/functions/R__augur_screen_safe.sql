-- Whether a classification view's row keeps its stored label sl and score ss (its stored margin sm) under a screened
-- model change (ViewIndex.screenedSafe in the engine): [lo, hi], its margin's interval (augur.screen_interval_sql), gives the
-- stored label at both ends, and scores within tol of ss at both ends (labels and sigmoid scores are monotone in the
-- margin): first through the link's Lipschitz constant lip over the end farther from sm, then through the link itself
-- at both ends, plus 1e-12 for its rounding. False for NULL (a row the screen cannot bound).
CREATE OR REPLACE FUNCTION augur.screen_safe(lo float8, hi float8, sm float8, sl text, ss float8, classes text[], tol float8, lip float8)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(lo <= hi
        AND CASE WHEN lo >= 0 THEN classes[2] ELSE classes[1] END = sl
        AND CASE WHEN hi >= 0 THEN classes[2] ELSE classes[1] END = sl
        AND (augur.screen_within(lip * greatest(abs(lo - sm), abs(hi - sm)), tol)
             -- this change is above 0 (the 1e-12), so an exact view never takes it: written without screen_within, whose
             -- argument, used twice, would keep PostgreSQL from inlining it
             OR (greatest(abs(augur.sigmoid(lo) - ss), abs(augur.sigmoid(hi) - ss)) + 1e-12::float8 <= tol AND tol <> 0)), false)
$$;
