-- Defines a generated function of the PREDICT family (head: its signature with parameter names, return type and
-- attributes; sig: its signature as to_regprocedure reads it) as a CASE on its model argument over the arms (see
-- augur.model_arms), fallback (SQL text) for every other name. Replaced only when its body changes: a deploy that leaves
-- it as it was neither locks it nor invalidates the plans that inlined it.
CREATE OR REPLACE FUNCTION augur.generated_function(sig text, head text, arms text, fallback text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    body text := 'SELECT ' || CASE WHEN arms = '' THEN fallback ELSE 'CASE model' || arms || ' ELSE ' || fallback || ' END' END;
BEGIN
    IF body IS DISTINCT FROM (SELECT p.prosrc FROM pg_catalog.pg_proc p WHERE p.oid = pg_catalog.to_regprocedure(sig)) THEN
        EXECUTE pg_catalog.format('CREATE OR REPLACE FUNCTION %s AS %L', head, body);
    END IF;
END $$;
