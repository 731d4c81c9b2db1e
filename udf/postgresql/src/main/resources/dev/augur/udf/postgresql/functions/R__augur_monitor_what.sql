-- What an alarm says moved, in words (augur.monitor_events.what): the engine's Monitoring.what, its %.4g by augur.fmt_g
-- and its %.4f the shortest decimal of the mean rounded half up, as Java does; pinned by PgMonitorGoldenVectorsTest.
CREATE OR REPLACE FUNCTION augur.monitor_what(p_signal text, p_source text, p_direction text, p_statistic float8, p_threshold float8,
    p_observations bigint, p_mean float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE SET extra_float_digits = 3 AS $$
    SELECT pg_catalog.format('%s %s: Page-Hinkley statistic %s > %s after %s observations (mean %s since the last reset)',
        CASE WHEN p_signal = 'score' THEN 'the served scores'' mean' ELSE 'the realized error of feedback ' || p_source END,
        CASE WHEN p_direction = 'up' THEN 'rose' ELSE 'fell' END, augur.fmt_g(p_statistic, 4), augur.fmt_g(p_threshold, 4),
        p_observations, CASE WHEN p_mean < 0 THEN '-' ELSE '' END || round(abs(p_mean)::text::numeric, 4))
$$;
