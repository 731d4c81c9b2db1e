-- the type a column's values have once its domains are peeled off
CREATE OR REPLACE FUNCTION augur.base_type(t oid) RETURNS oid LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE b oid := t; d "char"; nb oid;
BEGIN
    LOOP
        SELECT y.typtype, y.typbasetype INTO d, nb FROM pg_catalog.pg_type y WHERE y.oid = b;
        EXIT WHEN d IS DISTINCT FROM 'd';
        b := nb;
    END LOOP;
    RETURN b;
END $$;
