CREATE OR REPLACE FUNCTION augur.score(d augur.model_defs, m float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN augur.kind_ensemble(d.kind) THEN augur.ensemble_mean(augur.kind_link(d.kind), m)
           WHEN augur.kind_uncertainty(d.kind) = 'posterior' AND augur.kind_link(d.kind) = 'logistic'
                THEN augur.probit_corrected(m[1], augur.posterior_variance(d, m)) ELSE
           CASE augur.kind_link(d.kind) WHEN 'identity' THEN m[1]
                       WHEN 'softmax' THEN (augur.softmax(m))[augur.argmax(m)]
                       ELSE augur.sigmoid(m[1]) END END
$$;
