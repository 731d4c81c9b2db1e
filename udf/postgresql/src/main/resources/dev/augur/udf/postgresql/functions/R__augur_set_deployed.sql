CREATE OR REPLACE FUNCTION augur.set_deployed(nm text, ver integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE sha text := (SELECT m.sha256 FROM augur.models m WHERE m.name = nm AND m.version = ver);
BEGIN
    UPDATE augur.deployed SET version = ver, sha256 = sha, deployed_at = CURRENT_TIMESTAMP, deployed_by = SESSION_USER WHERE name = nm;
    IF NOT FOUND THEN
        INSERT INTO augur.deployed (name, version, sha256, deployed_at, deployed_by) VALUES (nm, ver, sha, CURRENT_TIMESTAMP, SESSION_USER);
    END IF;
END $$;
