-- a regressor's label as a finite number (the engine's LiveMetrics.value); 22023 otherwise
CREATE OR REPLACE FUNCTION augur.feedback_value(p_label text) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE v float8;
BEGIN
    BEGIN
        v := p_label::float8;
    EXCEPTION WHEN invalid_text_representation OR numeric_value_out_of_range THEN
        v := 'NaN';
    END;
    IF v IS NULL OR v = 'NaN'::float8 OR v IN ('Infinity'::float8, '-Infinity'::float8) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('label ''%s'' of a regressor''s feedback is not a finite number; insert '
            || 'numeric labels', left(p_label, 60));
    END IF;
    RETURN v;
END $$;
