-- A posterior's s² = x̃ᵀΣx̃ from the margins of one row (BayesianModel.posteriorVariance): dense, the squares of the factor
-- rows' margins (rows 2 .. d + 2) summed in row order; bag of words, the variance row's margin (augur.bow_margins computes
-- it as bias + Σ v_i x_i²)
CREATE OR REPLACE FUNCTION augur.posterior_variance(d augur.model_defs, m float8[]) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN d.feature_type = 'bag_of_words' THEN m[2]
                ELSE (SELECT sum(m[k] * m[k] ORDER BY k) FROM generate_series(2, d.dimension + 2) k) END
$$;
