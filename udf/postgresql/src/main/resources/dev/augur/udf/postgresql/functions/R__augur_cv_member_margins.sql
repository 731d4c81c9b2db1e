-- The margins of an ensemble's members (weights w: members x dim, row-major; biases b) over a row's stored feature
-- vector (0-based indices f_idx, values f_val), in member order: each b[k] + the sum of w[k, i] x_i in feature order
CREATE OR REPLACE FUNCTION augur.cv_member_margins(w float8[], b float8[], dim integer, f_idx integer[], f_val float8[]) RETURNS float8[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.array_agg(b[j] + coalesce((SELECT sum(w[(j - 1) * dim + x.i + 1] * x.v) FROM unnest(f_idx, f_val) AS x(i, v)), 0::float8)
                     ORDER BY j)
    FROM generate_series(1, pg_catalog.cardinality(b)) j
$$;
