-- Online bagging's draw (the engine's OnlineBagging.steps): how many SGD steps member p_member (0-based) of a
-- classification view's ensemble takes on the example of ordinal p_ordinal, Poisson(1) by inversion of the
-- experiments' uniform of (seed, 'bag<member>', ordinal), its distribution function summed term by term from e^-1
CREATE OR REPLACE FUNCTION augur.cv_bag_steps(p_seed bigint, p_member integer, p_ordinal bigint) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    u float8 := augur.experiment_uniform(p_seed, 'bag' || p_member, p_ordinal::text);
    term float8 := 0.36787944117144233;
    cumulative float8 := term;
    n integer := 0;
BEGIN
    WHILE u > cumulative AND n < 30 LOOP
        n := n + 1;
        term := term / n;
        cumulative := cumulative + term;
    END LOOP;
    RETURN n;
END $$;
