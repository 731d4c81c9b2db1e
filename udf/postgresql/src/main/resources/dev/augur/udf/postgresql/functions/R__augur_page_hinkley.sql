-- One Page-Hinkley step, as the engine's dev.augur.engine.monitor.PageHinkley.update (the same float8 arithmetic in the
-- same order, pinned by PgMonitorGoldenVectorsTest): the state after observation x, and the alarm it raised (direction
-- NULL: none; after an alarm the state is the empty one).
CREATE OR REPLACE FUNCTION augur.page_hinkley(s_n bigint, s_mean float8, s_up float8, s_up_min float8, s_down float8, s_down_max float8,
    x float8, delta float8, lambda float8, min_n integer,
    OUT n bigint, OUT mean float8, OUT up float8, OUT up_min float8, OUT down float8, OUT down_max float8,
    OUT direction text, OUT statistic float8, OUT alarm_mean float8, OUT observations bigint)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    rise float8;
    fall float8;
BEGIN
    n := s_n + 1;
    mean := s_mean + (x - s_mean) / n;
    up := s_up + x - mean - delta;
    up_min := LEAST(s_up_min, up);
    down := s_down + x - mean + delta;
    down_max := GREATEST(s_down_max, down);
    IF n >= min_n THEN
        rise := up - up_min;
        fall := down_max - down;
        IF rise > lambda OR fall > lambda THEN
            direction := CASE WHEN rise >= fall THEN 'up' ELSE 'down' END;
            statistic := GREATEST(rise, fall);
            alarm_mean := mean;
            observations := n;
            n := 0; mean := 0; up := 0; up_min := 0; down := 0; down_max := 0;
        END IF;
    END IF;
END $$;
