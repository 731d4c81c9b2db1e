-- AUGUR.SET_MONITOR(model, window_seconds [, delta [, lambda [, min_observations]]]): a model's monitoring window and
-- Page-Hinkley options (NULL: the default of each, the engine's); the windows are counted again from the served log,
-- the detectors keep their state. Returns 1. augur_admin's; the checks and messages are the engine's
-- (FeedbackRule.intervalMicros, PageHinkley.Options).
CREATE OR REPLACE FUNCTION augur.set_monitor(p_model text, p_window_seconds float8, p_delta float8 DEFAULT NULL,
    p_lambda float8 DEFAULT NULL, p_min_n integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text := augur.check_name(p_model);
    d record := augur.monitor_defaults();
    secs float8 := coalesce(p_window_seconds, d.window_us / 1e6);
    delta float8 := coalesce(p_delta, d.ph_delta);
    lambda float8 := coalesce(p_lambda, d.ph_lambda);
    min_n integer := coalesce(p_min_n, d.ph_min_n);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM augur.models x WHERE x.name = m) THEN
        PERFORM augur.unknown_model(m);
    END IF;
    IF NOT (secs > 0) OR secs > 100 * 366 * 86400.0 OR round(secs * 1e6) <= 0 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('WINDOW must be a positive interval (at least 1 microsecond, at most 100 '
            || 'years), got %s seconds; e.g. WINDOW 1 HOUR', secs);
    END IF;
    IF NOT (delta >= 0) OR delta IN ('Infinity'::float8, 'NaN'::float8) THEN  -- NaN sorts above every number here
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('Page-Hinkley delta must be a finite number ≥ 0 (the change tolerated '
            || 'as noise, e.g. 0.005), got %s', delta);
    END IF;
    IF NOT (lambda > 0) OR lambda IN ('Infinity'::float8, 'NaN'::float8) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('Page-Hinkley lambda must be a finite number > 0 (the evidence an '
            || 'alarm needs, e.g. 50), got %s', lambda);
    END IF;
    IF min_n < 1 OR min_n > 1000000 THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('Page-Hinkley needs between 1 and 1000000 observations before an '
            || 'alarm, got %s', min_n);
    END IF;
    INSERT INTO augur.monitors AS x (model, window_us, ph_delta, ph_lambda, ph_min_n) VALUES (m, round(secs * 1e6)::bigint, delta, lambda, min_n)
    ON CONFLICT (model) DO UPDATE SET window_us = EXCLUDED.window_us, ph_delta = EXCLUDED.ph_delta, ph_lambda = EXCLUDED.ph_lambda,
        ph_min_n = EXCLUDED.ph_min_n, updated_at = CURRENT_TIMESTAMP;
    PERFORM augur.monitor_recount(m);
    RETURN 1;
END $$;
