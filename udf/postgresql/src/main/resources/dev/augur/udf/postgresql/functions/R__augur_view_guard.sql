-- Raised at the start of every generated function, before it touches a value of a user's table: the columns it reads
-- must still be of built-in types (or domains over them), as they were when the view was created; a creator could
-- ALTER one to a type of its own, whose casts would then run as the catalog owner. The table is locked first (no ALTER
-- until commit), and the types are those the executor will use (pg_typeof of the table's row type, not a snapshot of
-- pg_attribute, which in REPEATABLE READ could predate an ALTER). p_table (the scoring function, which reads the table
-- by name): still the table the view was created over, not one renamed into its place.
CREATE OR REPLACE FUNCTION augur.view_guard(p_view text, p_rel oid, p_table text, cols text[]) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE t oid;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_rel) THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('the table prediction view ''%s'' was created over is gone; drop the view '
            || 'with AUGUR.DROP_PREDICTION_VIEW(''%s'')', p_view, p_view);
    END IF;
    EXECUTE pg_catalog.format('LOCK TABLE ONLY %s IN ACCESS SHARE MODE', p_rel::regclass);
    IF p_table IS NOT NULL AND to_regclass(p_table) IS DISTINCT FROM p_rel THEN
        RAISE EXCEPTION USING ERRCODE = '55000', MESSAGE = pg_catalog.format('table %s is no longer the table prediction view ''%s'' was created '
            || 'over (that one was dropped or renamed); drop the view with AUGUR.DROP_PREDICTION_VIEW(''%s'') and create it again',
            p_table, p_view, p_view);
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(cols) LOOP
        BEGIN
            EXECUTE pg_catalog.format('SELECT pg_typeof((NULL::%s).%I)::oid', p_rel::regclass, cols[i]) INTO t;
        EXCEPTION WHEN undefined_column THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = pg_catalog.format('column "%s" of %s, which prediction view ''%s'' reads, is gone; '
                || 'drop the view with AUGUR.DROP_PREDICTION_VIEW(''%s'')', cols[i], p_rel::regclass, p_view, p_view);
        END;
        IF t >= 16384 AND augur.base_type(t) >= 16384 THEN
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('column %s.%s, which prediction view ''%s'' reads, is now of type %s: '
                || 'Augur reads columns of built-in types (or domains over them) only; ALTER it back, or drop the view with '
                || 'AUGUR.DROP_PREDICTION_VIEW(''%s'')', p_rel::regclass, cols[i], p_view, format_type(t, NULL), p_view);
        END IF;
    END LOOP;
END $$;
