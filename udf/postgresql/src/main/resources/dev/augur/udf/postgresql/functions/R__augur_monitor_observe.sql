-- One observation for a detector (augur.monitor_detectors): its state moved by augur.page_hinkley, or reset by an alarm,
-- which is written to augur.monitor_events (as H2's H2Monitor.observe)
CREATE OR REPLACE FUNCTION augur.monitor_observe(p_model text, p_version integer, p_signal text, p_source text, p_x float8,
    p_delta float8, p_lambda float8, p_min_n integer, p_served bigint, p_at timestamptz) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    d augur.monitor_detectors;
    s record;
BEGIN
    SELECT * INTO d FROM augur.monitor_detectors x
    WHERE x.model = p_model AND x.model_version = p_version AND x.signal = p_signal AND x.source = p_source FOR UPDATE;
    IF NOT FOUND THEN
        d := ROW(p_model, p_version, p_signal, p_source, 0, 0, 0, 0, 0, 0);
    END IF;
    s := augur.page_hinkley(d.n, d.mean, d.up, d.up_min, d.down, d.down_max, p_x, p_delta, p_lambda, p_min_n);
    IF s.direction IS NOT NULL THEN
        INSERT INTO augur.monitor_events (model, model_version, at, detector, signal, source, direction, what, statistic, threshold, mean,
                                          observations, served_id)
        VALUES (p_model, p_version, p_at, 'page_hinkley', p_signal, p_source, s.direction,
                augur.monitor_what(p_signal, p_source, s.direction, s.statistic, p_lambda, s.observations, s.alarm_mean),
                s.statistic, p_lambda, s.alarm_mean, s.observations, p_served);
    END IF;
    INSERT INTO augur.monitor_detectors AS x (model, model_version, signal, source, n, mean, up, up_min, down, down_max)
    VALUES (p_model, p_version, p_signal, p_source, s.n, s.mean, s.up, s.up_min, s.down, s.down_max)
    ON CONFLICT (model, model_version, signal, source) DO UPDATE SET n = EXCLUDED.n, mean = EXCLUDED.mean, up = EXCLUDED.up,
        up_min = EXCLUDED.up_min, down = EXCLUDED.down, down_max = EXCLUDED.down_max;
END $$;
