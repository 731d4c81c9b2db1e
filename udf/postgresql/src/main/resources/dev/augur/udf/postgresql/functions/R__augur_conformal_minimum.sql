-- The smallest calibration size whose rank fits (conformal_rank(n, alpha) <= n), found as the engine's
-- Calibration.minimumSize finds it: from a little below 1/alpha - 1, walking up with the rank rule itself (below alpha
-- 1e-9, over 10^9 rows, the exact-arithmetic bound, capped below 2^63).
CREATE OR REPLACE FUNCTION augur.conformal_minimum(alpha float8) RETURNS bigint LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE n bigint;
BEGIN
    IF alpha < 1e-9 THEN
        -- 1 / alpha overflows float8 for the smallest alphas (an error in PostgreSQL): those are capped first
        RETURN (CASE WHEN alpha <= 1 / 9.2e18::float8 THEN 9.2e18::float8 ELSE ceil(least(1 / alpha - 1, 9.2e18::float8)) END)::bigint;
    END IF;
    n := greatest(1, floor(1 / alpha)::bigint - 2);
    WHILE augur.conformal_rank(n, alpha) > n LOOP
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
