-- where a corrupt version would be served: XX001 (STABLE: evaluated when reached, never folded into a plan)
CREATE OR REPLACE FUNCTION augur.corrupt(nm text, ver integer) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
BEGIN
    PERFORM augur.check_payload(nm, ver);
    RAISE EXCEPTION USING ERRCODE = 'XX001', MESSAGE = pg_catalog.format('model ''%s'' version %s was corrupt when this statement was planned '
        || '(it is intact now); run the statement again, and re-import the model from its source file if it recurs', nm, ver);
END $$;
