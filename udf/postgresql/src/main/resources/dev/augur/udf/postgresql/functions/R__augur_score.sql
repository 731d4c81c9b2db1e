CREATE OR REPLACE FUNCTION augur.score(d augur.model_defs, m float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.kind_ensemble(d.kind) THEN augur.ensemble_mean(augur.kind_link(d.kind), m) ELSE
           CASE augur.kind_link(d.kind) WHEN 'identity' THEN m[1]
                       WHEN 'softmax' THEN (augur.softmax(m))[augur.argmax(m)]
                       ELSE augur.sigmoid(m[1]) END END
$$;
