-- A model's monitoring window and Page-Hinkley options: its augur.monitors row, else the engine's defaults
-- (augur.monitor_defaults, rendered from the engine into R__augur_monitoring.sql)
CREATE OR REPLACE FUNCTION augur.monitor_options(p_model text, OUT window_us bigint, OUT ph_delta float8, OUT ph_lambda float8,
    OUT ph_min_n integer) LANGUAGE sql STABLE AS $$
    SELECT m.window_us, m.ph_delta, m.ph_lambda, m.ph_min_n FROM augur.monitors m WHERE m.model = p_model
    UNION ALL
    SELECT d.window_us, d.ph_delta, d.ph_lambda, d.ph_min_n FROM augur.monitor_defaults() d
    WHERE NOT EXISTS (SELECT 1 FROM augur.monitors m WHERE m.model = p_model)
$$;
