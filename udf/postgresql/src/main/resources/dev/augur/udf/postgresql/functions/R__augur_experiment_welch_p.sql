-- the one-sided Welch test's p-value that the better arm's mean squared error (b_n labels, squared errors summing to b_s1,
-- their squares to b_s2; at least 2 labels each) is below the other's: the engine's Experiment.welchPValue (t from the
-- squared errors' sample variances, Welch-Satterthwaite degrees of freedom from each term's share, the Student t tail);
-- 1 when t <= 0 or neither arm's squared errors vary
CREATE OR REPLACE FUNCTION augur.experiment_welch_p(b_n bigint, b_s1 float8, b_s2 float8, o_n bigint, o_s1 float8, o_s2 float8) RETURNS float8
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    vb float8 := greatest(0, b_s2 - b_s1 * (b_s1 / b_n)) / (b_n - 1) / b_n;
    vo float8 := greatest(0, o_s2 - o_s1 * (o_s1 / o_n)) / (o_n - 1) / o_n;
    se2 float8 := vb + vo;
    t float8;
    rb float8;
    ro float8;
BEGIN
    IF NOT (se2 > 0) THEN
        RETURN 1;
    END IF;
    t := (o_s1 / o_n - b_s1 / b_n) / sqrt(se2);
    IF NOT (t > 0) THEN
        RETURN 1;
    END IF;
    rb := vb / se2;
    ro := vo / se2;
    RETURN augur.student_t_upper_tail(t, 1 / ((CASE WHEN rb < 1e-150 THEN 0 ELSE rb * rb END) / (b_n - 1)
                                              + (CASE WHEN ro < 1e-150 THEN 0 ELSE ro * ro END) / (o_n - 1)));
END $$;
