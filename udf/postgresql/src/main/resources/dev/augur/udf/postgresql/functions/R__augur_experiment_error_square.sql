-- the square of a label's squared error, which an arm over regressors adds to its sum of squares: the engine's
-- Experiment.squaredErrorSquare (0 below 1e-150, where the product would underflow; 22003 above 1e150)
CREATE OR REPLACE FUNCTION augur.experiment_error_square(p_feedback text, p_squared_error float8) RETURNS float8
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF NOT (p_squared_error <= 1e150) THEN
        RAISE EXCEPTION USING ERRCODE = '22003', MESSAGE = pg_catalog.format('feedback ''%s'': a label''s squared error exceeds 1e150, more than an '
            || 'experiment''s sums can hold; correct the label or end the experiment with ROLLBACK MODEL', p_feedback);
    END IF;
    RETURN CASE WHEN p_squared_error < 1e-150 THEN 0 ELSE p_squared_error * p_squared_error END;
END $$;
