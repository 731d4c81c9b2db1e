-- Whether version ver of model nm, registered with SHA-256 sha, may be served. IMMUTABLE so that the planner evaluates
-- it once, when it plans a statement whose model is a constant (its result is part of the plan, as the generated
-- PREDICT's arms are); with a name read from a column it runs per row. Never raises: a corrupt version fails where it
-- is served (augur.corrupt). The generated arms pass the SHA-256 they were made for, so that their text, and with it
-- every plan that inlined them, changes when a name@version is registered anew.
CREATE OR REPLACE FUNCTION augur.intact(nm text, ver integer, sha text) RETURNS boolean LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN EXISTS (SELECT 1 FROM augur.models m WHERE m.name = nm AND m.version = ver AND lower(m.sha256::text) = lower(sha))
        AND augur.payload_problem(nm, ver) IS NULL;
END $$;
