-- A number as Java's String.format(Locale.ROOT, "%.<p>g") writes it (what the engine's Monitoring.what uses): the
-- shortest decimal that reads back as x (float8's text form) rounded half up to p significant digits, in decimal notation
-- when the rounded value lies in [1e-4, 10^p), else as d.ddde+XX. Pinned by PgMonitorGoldenVectorsTest.
CREATE OR REPLACE FUNCTION augur.fmt_g(x float8, p integer) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE SET extra_float_digits = 3 AS $$
DECLARE
    v numeric;
    e integer;
    r numeric;
    sign text := CASE WHEN x < 0 THEN '-' ELSE '' END;
BEGIN
    IF x = 0 THEN
        RETURN sign || '0' || CASE WHEN p > 1 THEN '.' || repeat('0', p - 1) ELSE '' END;
    END IF;
    v := abs(x)::text::numeric;  -- with extra_float_digits > 0, the shortest exact decimal, as Java's digits
    e := floor(log(10, v))::integer;
    -- powers of ten written as numeric literals: exact at any exponent
    IF v >= ('1e' || (e + 1))::numeric THEN e := e + 1; ELSIF v < ('1e' || e)::numeric THEN e := e - 1; END IF;
    r := round(v, p - 1 - e);  -- numeric rounds half away from zero: Java's HALF_UP
    IF r >= ('1e' || (e + 1))::numeric THEN e := e + 1; END IF;
    IF r >= 0.0001 AND r < ('1e' || p)::numeric THEN
        RETURN sign || round(r, GREATEST(p - 1 - e, 0))::text;
    END IF;
    RETURN sign || round(r * ('1e' || -e)::numeric, p - 1)::text || 'e' || CASE WHEN e < 0 THEN '-' ELSE '+' END
        || CASE WHEN abs(e) < 10 THEN '0' ELSE '' END || abs(e);
END $$;
