-- DEPLOY MODEL, run as the catalog's owner (SECURITY DEFINER; augur_admin's): deploy and rollback maintain every eager
-- view of the model in the same transaction (a deploy of the deployed version too, as on H2), and drop refuses a
-- model that prediction views depend on (2BP01).
CREATE OR REPLACE FUNCTION augur.deploy_model(p_name text, p_version integer DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); ver integer; cur integer;
BEGIN
    PERFORM augur.lock();
    IF EXISTS (SELECT 1 FROM augur.experiments x WHERE x.model = nm AND x.ended_at IS NULL) THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('model ''%s'' is in an experiment (%s); end it with ROLLBACK MODEL %s '
            || 'before deploying a version', nm, augur.experiment_describe((SELECT x.id FROM augur.experiments x WHERE x.model = nm
            AND x.ended_at IS NULL)), nm);
    END IF;
    ver := CASE WHEN p_version IS NULL THEN augur.latest(nm) ELSE augur.require_version(nm, p_version) END;
    PERFORM augur.check_payload(nm, ver);
    SELECT version INTO cur FROM augur.deployed WHERE name = nm;
    IF cur = ver THEN
        PERFORM augur.views_follow(nm);
        RETURN ver;
    END IF;
    PERFORM augur.set_deployed(nm, ver);
    INSERT INTO augur.deployments (name, version, previous_version, action) VALUES (nm, ver, cur, 'deploy');
    PERFORM augur.regenerate_for(nm);
    PERFORM augur.views_follow(nm);
    RETURN ver;
END $$;
