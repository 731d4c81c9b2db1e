-- How far an ensemble row's view margin (and so its score) can move (ViewBounds.margin): the members' tightest Hölder
-- bounds at the row's norms (n1, n2, ninf), each through the link (Lipschitz constant lip), averaged, in member order
CREATE OR REPLACE FUNCTION augur.ensemble_margin_bound(dl1 float8[], dl2 float8[], dlinf float8[], db float8[], lip float8,
    n1 float8, n2 float8, ninf float8) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE s float8 := 0;
BEGIN
    FOR k IN 1 .. pg_catalog.cardinality(db) LOOP
        s := s + (least(dlinf[k] * n1, least(dl2[k] * n2, dl1[k] * ninf)) + db[k]);
    END LOOP;
    RETURN lip * s / pg_catalog.cardinality(db);
END $$;
