CREATE OR REPLACE FUNCTION augur.sigmoid(m float8) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN m >= 0 THEN 1.0 / (1.0 + exp(-least(m, 700.0)))
                ELSE exp(greatest(m, -700.0)) / (1.0 + exp(greatest(m, -700.0))) END
$$;
