-- PREDICT_SET's alpha, or PREDICT_INTERVAL's level (p_level): strictly between 0 and 1, else 22023 as the engine's
-- Conformal.checkAlpha / alphaOfLevel say it; returns the miscoverage alpha (1 - level for a level).
CREATE OR REPLACE FUNCTION augur.conformal_alpha(v float8, p_level boolean) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    -- NaN is above every number in PostgreSQL, so NOT (v < 1) refuses it as Java's !(v < 1) does
    IF NOT (v > 0 AND v < 1) THEN
        IF p_level THEN
            PERFORM augur.err('22023', pg_catalog.format('level must lie strictly between 0 and 1, got %s (level is the share of rows whose '
                || 'interval holds the true value, e.g. 0.9)', augur.fmt(v)));
        END IF;
        PERFORM augur.err('22023', pg_catalog.format('alpha must lie strictly between 0 and 1, got %s (alpha is the share of rows whose '
            || 'set may miss the true class, e.g. 0.1)', augur.fmt(v)));
    END IF;
    RETURN CASE WHEN p_level THEN 1 - v ELSE v END;
END $$;
