-- the slow, general path of PREDICT (pinned versions not inlined, softmax of more classes than are generated, every check)
CREATE OR REPLACE FUNCTION augur.predict_any(model text, x float8[], body text) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs;
BEGIN
    -- a NULL input gives NULL, but only once the model and the number of inputs are right (augur.margins), as on H2:
    -- a wrong call is an error whatever its values
    r := augur.resolve(model);
    d := augur.defs(r.name, r.version);
    IF body IS NULL AND d.feature_type = 'bag_of_words' AND pg_catalog.cardinality(x) >= 2 THEN
        -- as on H2, where PREDICT with 2+ numbers checks the input type before the arity
        PERFORM augur.wrong_type(d.name, d.inputs[1], 'text', 'Double ' || augur.fmt(x[1]));
    END IF;
    RETURN augur.score(d, augur.margins(d, x, body));
END $$;
