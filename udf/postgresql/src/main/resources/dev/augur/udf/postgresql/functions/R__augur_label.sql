CREATE OR REPLACE FUNCTION augur.label(d augur.model_defs, m float8[]) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF augur.kind_link(d.kind) = 'identity' THEN
        PERFORM augur.err('22023', format('model ''%s'' is a linear regression model and has no labels; use PREDICT for its value', d.name));
    END IF;
    IF m IS NULL THEN RETURN NULL; END IF;
    IF augur.kind_link(d.kind) = 'softmax' THEN RETURN d.classes[augur.argmax(m)]; END IF;
    RETURN d.classes[CASE WHEN m[1] >= 0 THEN 2 ELSE 1 END];
END $$;
