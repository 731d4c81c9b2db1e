CREATE OR REPLACE FUNCTION augur.softmax(m float8[]) RETURNS float8[] LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE mx float8 := m[1]; s float8 := 0; p float8[] := '{}';
BEGIN
    FOR i IN 2 .. pg_catalog.cardinality(m) LOOP mx := greatest(mx, m[i]); END LOOP;
    FOR i IN 1 .. pg_catalog.cardinality(m) LOOP
        p := p || exp(greatest(m[i] - mx, -700.0));
        s := s + p[i];
    END LOOP;
    FOR i IN 1 .. pg_catalog.cardinality(m) LOOP p[i] := p[i] / s; END LOOP;
    RETURN p;
END $$;
