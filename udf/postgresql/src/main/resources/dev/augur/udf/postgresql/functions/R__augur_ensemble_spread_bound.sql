-- How far an ensemble row's spread can move (ViewBounds.spread): the root mean square of the members' score bounds,
-- each the link's Lipschitz constant lip times the member's tightest Hölder bound at the row's norms
CREATE OR REPLACE FUNCTION augur.ensemble_spread_bound(dl1 float8[], dl2 float8[], dlinf float8[], db float8[], lip float8,
    n1 float8, n2 float8, ninf float8) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE ss float8 := 0; s float8;
BEGIN
    FOR k IN 1 .. pg_catalog.cardinality(db) LOOP
        s := lip * (least(dlinf[k] * n1, least(dl2[k] * n2, dl1[k] * ninf)) + db[k]);
        ss := ss + s * s;
    END LOOP;
    RETURN sqrt(ss / pg_catalog.cardinality(db));
END $$;
