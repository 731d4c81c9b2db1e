CREATE OR REPLACE FUNCTION augur.drop_model(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); n integer; arities integer[]; deps text; ndeps integer;
BEGIN
    PERFORM augur.lock();
    SELECT string_agg(name, ', ' ORDER BY name), count(*) INTO deps, ndeps FROM augur.views WHERE model = nm AND kind = 'prediction';
    IF ndeps > 0 THEN
        RAISE EXCEPTION USING ERRCODE = '2BP01', MESSAGE = pg_catalog.format('cannot drop model ''%s'': prediction view%s%s depend on it; drop %s first',
            nm, CASE WHEN ndeps = 1 THEN ' ' ELSE 's ' END, deps, CASE WHEN ndeps = 1 THEN 'it' ELSE 'them' END);
    END IF;
    SELECT count(*) INTO n FROM augur.models WHERE name = nm;
    IF n = 0 THEN
        PERFORM augur.unknown_model(nm);
    END IF;
    SELECT pg_catalog.array_agg(DISTINCT pg_catalog.cardinality(inputs)) INTO arities FROM augur.model_defs WHERE name = nm AND feature_type = 'dense';
    DELETE FROM augur.experiments WHERE model = nm;
    -- its monitoring state goes (references with its versions; its events stay, as the served log does)
    DELETE FROM augur.monitor_windows WHERE model = nm;
    DELETE FROM augur.monitor_score_bins WHERE model = nm;
    DELETE FROM augur.monitor_detectors WHERE model = nm;
    DELETE FROM augur.monitors WHERE model = nm;
    DELETE FROM augur.deployed WHERE name = nm;
    DELETE FROM augur.deployments WHERE name = nm;
    DELETE FROM augur.model_payloads WHERE name = nm;
    DELETE FROM augur.models WHERE name = nm;
    IF arities IS NOT NULL THEN
        FOR i IN 1 .. pg_catalog.cardinality(arities) LOOP
            PERFORM augur.regenerate_predict(arities[i]);
        END LOOP;
    END IF;
    RETURN n;
END $$;
