-- The smallest calibration size whose rank fits (conformal_rank(n, alpha) <= n), found as the engine's
-- Calibration.minimumSize finds it: from a little below 1/alpha - 1, walking up with the rank rule itself.
CREATE OR REPLACE FUNCTION augur.conformal_minimum(alpha float8) RETURNS bigint LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE n bigint := greatest(1, floor(1 / alpha)::bigint - 2);
BEGIN
    WHILE augur.conformal_rank(n, alpha) > n LOOP
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;
