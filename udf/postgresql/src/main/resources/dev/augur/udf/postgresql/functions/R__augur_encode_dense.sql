-- ================================================================================================ intact models

-- the payload ModelCodec writes for a dense model version, from the relational form PREDICT serves (as
-- augur.register_model writes it, element by element: a loop here costs less than augur.strs/f64s's subqueries)
CREATE OR REPLACE FUNCTION augur.encode_dense(d augur.model_defs) RETURNS bytea LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE b bytea; s text; w float8;
BEGIN
    IF d.inputs IS NULL OR d.classes IS NULL OR d.weights IS NULL OR d.bias IS NULL THEN
        RETURN NULL;  -- a damaged row: no payload encodes it
    END IF;
    b := '\x4155474d'::bytea || int2send(1::int2)
        || augur.u8((SELECT k.id FROM augur.kinds() k WHERE k.name = d.kind)) || augur.u8(1)
        || augur.str(d.name) || int4send(pg_catalog.cardinality(d.inputs));
    FOREACH s IN ARRAY d.inputs LOOP
        b := b || augur.str(s);
    END LOOP;
    b := b || int4send(pg_catalog.cardinality(d.classes));
    FOREACH s IN ARRAY d.classes LOOP
        b := b || augur.str(s);
    END LOOP;
    b := b || int4send(d.outputs) || int4send(d.dimension);
    FOREACH w IN ARRAY d.weights LOOP
        b := b || float8send(w);
    END LOOP;
    FOREACH w IN ARRAY d.bias LOOP
        b := b || float8send(w);
    END LOOP;
    RETURN b;
END $$;
