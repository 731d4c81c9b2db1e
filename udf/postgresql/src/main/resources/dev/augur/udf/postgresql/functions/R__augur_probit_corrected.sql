-- Links.probitCorrected: the expected logistic of a Gaussian margin N(mu, s2), approximated as σ(μ / sqrt(1 + π s²/8))
CREATE OR REPLACE FUNCTION augur.probit_corrected(mu float8, s2 float8) RETURNS float8 LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT augur.sigmoid(mu / sqrt(1::float8 + pi() * s2 / 8::float8))
$$;
