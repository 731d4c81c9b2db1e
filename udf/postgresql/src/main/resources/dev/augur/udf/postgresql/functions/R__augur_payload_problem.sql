-- What is wrong with a model version's stored form, or NULL when it is intact (or there is no such version): the
-- payload must exist and hash to the recorded SHA-256, and describe what PREDICT serves: for a dense model, be the
-- encoding of its augur.model_defs row; for a bag-of-words model, begin with its feature function and end with its
-- shape and bias as that row has them (its terms and weights are written with it, by augur.register_model only).
CREATE OR REPLACE FUNCTION augur.payload_problem(nm text, ver integer) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE expected text; p bytea; actual text; d augur.model_defs; head bytea; n integer; shape bigint;
BEGIN
    SELECT m.sha256, pl.payload INTO expected, p
    FROM augur.models m LEFT JOIN augur.model_payloads pl ON pl.name = m.name AND pl.version = m.version
    WHERE m.name = nm AND m.version = ver;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF p IS NULL THEN
        RETURN pg_catalog.format('model payload is corrupt or truncated: the payload of model ''%s'' version %s is missing; '
            || 're-import the model from its source file', nm, ver);
    END IF;
    actual := encode(sha256(p), 'hex');
    IF lower(expected) <> actual THEN
        RETURN pg_catalog.format('model ''%s'' version %s is corrupt: stored sha256 %s but payload hashes to %s; '
            || 're-import the model from its source file', nm, ver, expected, actual);
    END IF;
    SELECT * INTO d FROM augur.model_defs x WHERE x.name = nm AND x.version = ver;
    IF NOT FOUND THEN
        RETURN pg_catalog.format('model ''%s'' version %s is corrupt: its definition (augur.model_defs) is missing; '
            || 're-import the model from its source file', nm, ver);
    END IF;
    IF d.feature_type = 'dense' THEN
        IF augur.encode_dense(d) IS DISTINCT FROM p THEN
            RETURN pg_catalog.format('model ''%s'' version %s is corrupt or truncated: its payload (sha256 %s) does not encode the weights '
                || 'PREDICT serves from augur.model_defs; re-import the model from its source file', nm, ver, actual);
        END IF;
        RETURN NULL;
    END IF;
    head := '\x4155474d'::bytea || int2send(1::int2)
        || augur.u8((SELECT k.id FROM augur.kinds() k WHERE k.name = d.kind)) || augur.u8(2)
        || augur.str(d.name) || augur.str(d.inputs[1])
        || augur.u8(CASE d.weighting WHEN 'binary' THEN 1 WHEN 'tf' THEN 2 ELSE 3 END) || augur.u8(d.ngrams) || augur.u8(d.hash_bits)
        || augur.u8(CASE WHEN d.normalize THEN 1 ELSE 0 END);
    n := length(p);
    shape := n - 8::bigint * d.outputs * (d.dimension + 1) - 7;  -- where outputs and dimension are, before weights and bias
    IF coalesce(substr(p, 1, length(head)) IS DISTINCT FROM head
                OR substr(p, n - 8 * d.outputs + 1) IS DISTINCT FROM augur.f64s(d.bias)
                OR shape < 1
                OR substr(p, shape::integer, 8) IS DISTINCT FROM int4send(d.outputs) || int4send(d.dimension), true) THEN
        RETURN pg_catalog.format('model ''%s'' version %s is corrupt or truncated: its payload (sha256 %s) does not describe the model '
            || 'PREDICT serves from augur.model_defs; re-import the model from its source file', nm, ver, actual);
    END IF;
    RETURN NULL;
END $$;
