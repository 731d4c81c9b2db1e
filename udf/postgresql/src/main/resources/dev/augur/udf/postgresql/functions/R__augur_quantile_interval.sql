-- A quantile model's trained interval from the margins of one row (QuantileRegression.interval): its lower and upper
-- quantiles' margins (rows 2 and 3), ordered
CREATE OR REPLACE FUNCTION augur.quantile_interval(m float8[]) RETURNS float8[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN m[2] <= m[3] THEN ARRAY[m[2], m[3]] ELSE ARRAY[m[3], m[2]] END
$$;
