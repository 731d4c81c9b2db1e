-- DROP PREDICTION VIEW, run as the owner for the view's creator (and its members, and superusers): the generated functions go with
-- their triggers (DROP FUNCTION ... CASCADE, which needs no ownership of the tables they are on), then the owner's tables
CREATE OR REPLACE FUNCTION augur.drop_prediction_view(p_name text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE nm text := augur.view_name(p_name); v augur.views; h text := md5(nm); f regprocedure; rel regclass;
BEGIN
    v := augur.view_lock(nm);
    IF v.name IS NULL THEN
        PERFORM augur.view_unknown(nm);
    END IF;
    PERFORM augur.view_require_writer(v, 'drop');
    FOR f IN SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
             WHERE p.pronamespace = 'augur'::regnamespace
               AND p.proname IN ('augur_vr_' || h, 'augur_vt_' || h, 'augur_vi_' || h, 'augur_ct_' || h, 'augur_cl_' || h) LOOP
        EXECUTE pg_catalog.format('DROP FUNCTION %s CASCADE', f);
    END LOOP;
    -- only what is the owner's: never a table someone put in the place of the view's
    IF v.mode IN ('lazy', 'hybrid') THEN
        rel := to_regclass(pg_catalog.format('%I.%I', v.view_schema, nm));
        IF rel IS NOT NULL AND (SELECT c.relowner = current_user::regrole AND c.relkind = 'v' FROM pg_catalog.pg_class c WHERE c.oid = rel) THEN
            EXECUTE pg_catalog.format('DROP VIEW %s', rel);
        END IF;
    END IF;
    IF v.mode <> 'lazy' THEN
        rel := to_regclass(pg_catalog.format('%I.%I', v.view_schema, CASE WHEN v.mode = 'hybrid' THEN nm || '_labels' ELSE nm END));
        IF rel IS NOT NULL AND (SELECT c.relowner = current_user::regrole AND c.relkind = 'r' FROM pg_catalog.pg_class c WHERE c.oid = rel) THEN
            EXECUTE pg_catalog.format('DROP TABLE %s', rel);
        END IF;
    END IF;
    DELETE FROM augur.view_events WHERE view_name = nm;
    DELETE FROM augur.views WHERE name = nm;
    RETURN 1;
END $$;
