-- the standard normal quantile by Acklam's rational approximation, the engine's Experiment.normalQuantile arithmetic
CREATE OR REPLACE FUNCTION augur.normal_quantile(p float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE q float8; r float8;
BEGIN
    IF NOT (p > 0 AND p < 1) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('a normal quantile needs a probability in (0, 1), got %s', p);
    END IF;
    IF p < 0.02425 THEN
        q := sqrt(-2 * ln(p));
        RETURN (((((-7.784894002430293e-03::float8 * q + -3.223964580411365e-01::float8) * q + -2.400758277161838e+00::float8) * q
                 + -2.549732539343734e+00::float8) * q + 4.374664141464968e+00::float8) * q + 2.938163982698783e+00::float8)
             / ((((7.784695709041462e-03::float8 * q + 3.224671290700398e-01::float8) * q + 2.445134137142996e+00::float8) * q
                 + 3.754408661907416e+00::float8) * q + 1);
    END IF;
    IF p > 1 - 0.02425::float8 THEN
        q := sqrt(-2 * ln(1 - p));
        RETURN -(((((-7.784894002430293e-03::float8 * q + -3.223964580411365e-01::float8) * q + -2.400758277161838e+00::float8) * q
                  + -2.549732539343734e+00::float8) * q + 4.374664141464968e+00::float8) * q + 2.938163982698783e+00::float8)
             / ((((7.784695709041462e-03::float8 * q + 3.224671290700398e-01::float8) * q + 2.445134137142996e+00::float8) * q
                 + 3.754408661907416e+00::float8) * q + 1);
    END IF;
    q := p - 0.5;
    r := q * q;
    RETURN (((((-3.969683028665376e+01::float8 * r + 2.209460984245205e+02::float8) * r + -2.759285104469687e+02::float8) * r
             + 1.383577518672690e+02::float8) * r + -3.066479806614716e+01::float8) * r + 2.506628277459239e+00::float8) * q
         / (((((-5.447609879822406e+01::float8 * r + 1.615858368580409e+02::float8) * r + -1.556989798598866e+02::float8) * r
             + 6.680131188771972e+01::float8) * r + -1.328068155288572e+01::float8) * r + 1);
END $$;
