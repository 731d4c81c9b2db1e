CREATE OR REPLACE FUNCTION augur.rollback_model(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); cur integer; active bigint[]; versions integer[]; prev integer;
BEGIN
    PERFORM augur.lock();
    -- while an experiment runs, ROLLBACK MODEL ends it; the version deployed before it still is
    IF EXISTS (SELECT 1 FROM augur.experiments x WHERE x.model = nm AND x.ended_at IS NULL) THEN
        UPDATE augur.experiments x SET ended_at = CURRENT_TIMESTAMP, outcome = 'ended by ROLLBACK MODEL' WHERE x.model = nm AND x.ended_at IS NULL;
        RETURN augur.require_deployed(nm);
    END IF;
    SELECT pg_catalog.array_agg(id ORDER BY id DESC), pg_catalog.array_agg(version ORDER BY id DESC) INTO active, versions
    FROM augur.deployments WHERE name = nm AND action = 'deploy' AND NOT rolled_back;
    cur := augur.require_deployed(nm);
    IF coalesce(pg_catalog.cardinality(active), 0) < 2 THEN
        PERFORM augur.err('55000', pg_catalog.format('model ''%s'' has no earlier deployment to roll back to (version %s is its first); '
            || 'deploy another version with AUGUR.DEPLOY_MODEL', nm, cur));
    END IF;
    prev := versions[2];
    PERFORM augur.require_version(nm, prev);
    PERFORM augur.check_payload(nm, prev);
    UPDATE augur.deployments SET rolled_back = TRUE WHERE id = active[1];
    PERFORM augur.set_deployed(nm, prev);
    INSERT INTO augur.deployments (name, version, previous_version, action) VALUES (nm, prev, cur, 'rollback');
    PERFORM augur.regenerate_for(nm);
    PERFORM augur.views_follow(nm);
    RETURN prev;
END $$;
