-- P(T >= t) for Student's t with df > 0 degrees of freedom (any real df) and t >= 0: the engine's
-- Experiment.studentTUpperTail step for step (pinned by PgExperimentGoldenVectorsTest): half the regularized incomplete
-- beta function I_x(df/2, 1/2) at x = df / (df + t^2) by its continued fraction (the complement 1 - I_y(1/2, df/2),
-- y = t^2 / (df + t^2), where that converges faster); ln Gamma(a + 1/2) - ln Gamma(a) by recurrence up to a >= 50, then
-- its asymptotic series; ln(1 + z) by Goldberg's correction (PostgreSQL has no log1p). 0.5 below t = 1e-100, 0 above
-- 1e100, and 0 where the power terms fall below e^-600 (exp would raise an underflow error).
CREATE OR REPLACE FUNCTION augur.student_t_upper_tail(t float8, df float8) RETURNS float8
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    ln_sqrt_pi constant float8 := 0.5723649429247001;
    t2 float8;
    x float8;
    y float8;
    a float8;
    u float8;
    ln_x float8;
    ln_y float8;
    ratio float8;
    product float8 := 1;
    s float8;
    r float8;
    r2 float8;
    ln_front float8;
    front float8;
BEGIN
    IF NOT (df > 0) OR df = 'Infinity' OR t = 'NaN' OR t < 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('the Student t tail needs t >= 0 and a finite df > 0, got t %s, df %s', t, df);
    END IF;
    IF t < 1e-100 THEN
        RETURN 0.5;
    END IF;
    IF t > 1e100 THEN
        RETURN 0;
    END IF;
    t2 := t * t;
    x := df / (df + t2);
    y := t2 / (df + t2);
    a := df / 2;
    IF x > 0.5 THEN
        u := 1 - y;
        ln_x := CASE WHEN u = 1 THEN -y ELSE ln(u) * -y / (u - 1) END;
    ELSE
        ln_x := ln(x);
    END IF;
    IF y > 0.5 THEN
        u := 1 - x;
        ln_y := CASE WHEN u = 1 THEN -x ELSE ln(u) * -x / (u - 1) END;
    ELSE
        ln_y := ln(y);
    END IF;
    -- ln Gamma(a + 1/2) - ln Gamma(a)
    s := a;
    WHILE s < 50 LOOP
        product := product * (s / (s + 0.5));
        s := s + 1;
    END LOOP;
    r := 1 / s;
    r2 := r * r;
    ratio := ln(product) + 0.5 * ln(s)
        + r * (-1::float8 / 8 + r2 * (1::float8 / 192 + r2 * (-1::float8 / 640 + r2 * (17::float8 / 14336))));
    ln_front := a * ln_x + 0.5 * ln_y - (ln_sqrt_pi - ratio);
    front := CASE WHEN ln_front < -600 THEN 0 ELSE exp(ln_front) END;
    IF x < (a + 1) / (a + 2.5) THEN
        RETURN 0.5 * (front * augur.beta_continued_fraction(a, 0.5, x) / a);
    END IF;
    RETURN 0.5 * (1 - front * augur.beta_continued_fraction(0.5, a, y) / 0.5);
END $$;
