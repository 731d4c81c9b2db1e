-- raised by generated PREDICT code for a NaN or infinite input
CREATE OR REPLACE FUNCTION augur.nonfinite(p_name text, input text, v float8) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('model ''%s'' input ''%s'' is %s; PREDICT takes finite numbers '
        || 'only (filter the row or replace the value, e.g. with COALESCE/NULLIF)', p_name, input, v);
END $$;
