-- the continued fraction of the incomplete beta function I_x(a, b) (Numerical Recipes' betacf, modified Lentz): the
-- engine's Experiment.betaContinuedFraction step for step (pinned by PgExperimentGoldenVectorsTest through
-- augur.student_t_upper_tail)
CREATE OR REPLACE FUNCTION augur.beta_continued_fraction(a float8, b float8, x float8) RETURNS float8
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    tiny constant float8 := 1e-300;
    qab float8 := a + b;
    qap float8 := a + 1;
    qam float8 := a - 1;
    c float8 := 1;
    d float8 := 1 - qab * x / qap;
    h float8;
    aa float8;
    del float8;
    m2 integer;
BEGIN
    IF abs(d) < tiny THEN
        d := tiny;
    END IF;
    d := 1 / d;
    h := d;
    FOR m IN 1 .. 1000 LOOP
        m2 := 2 * m;
        aa := m * (b - m) * x / ((qam + m2) * (a + m2));
        d := 1 + aa * d;
        IF abs(d) < tiny THEN
            d := tiny;
        END IF;
        c := 1 + aa / c;
        IF abs(c) < tiny THEN
            c := tiny;
        END IF;
        d := 1 / d;
        h := h * (d * c);
        aa := -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d := 1 + aa * d;
        IF abs(d) < tiny THEN
            d := tiny;
        END IF;
        c := 1 + aa / c;
        IF abs(c) < tiny THEN
            c := tiny;
        END IF;
        d := 1 / d;
        del := d * c;
        h := h * del;
        EXIT WHEN abs(del - 1) < 1e-16;
    END LOOP;
    RETURN h;
END $$;
