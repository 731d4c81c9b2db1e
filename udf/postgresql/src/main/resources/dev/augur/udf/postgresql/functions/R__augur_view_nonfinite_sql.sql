-- The PL/pgSQL that names the first input of a dense view that is not finite in the rows of from_item (x: the input
-- expressions over its alias; inputs: the model's names for them): one scan per input, each raising through
-- augur.nonfinite the first value found, into the function's variable bad.
CREATE OR REPLACE FUNCTION augur.view_nonfinite_sql(x text[], from_item text, model text, inputs text[]) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    checks text := '';
BEGIN
    FOR i IN 1 .. pg_catalog.cardinality(x) LOOP
        checks := checks || pg_catalog.format('
    SELECT %s INTO bad FROM %s WHERE NOT (abs(%s) <= 1.7976931348623157e308) LIMIT 1;
    IF FOUND THEN
        PERFORM augur.nonfinite(%L, %L, bad);
    END IF;', x[i], from_item, x[i], model, inputs[i]);
    END LOOP;
    RETURN checks;
END $$;
