-- After a deploy or rollback of model nm: every eager or hybrid prediction view on it follows, in the same transaction.
CREATE OR REPLACE FUNCTION augur.views_follow(nm text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE vn text; ver integer; d augur.model_defs;
BEGIN
    FOR vn IN SELECT name FROM augur.views WHERE model = nm AND kind = 'prediction' AND mode IN ('eager', 'hybrid') ORDER BY name LOOP
        PERFORM augur.view_lock(vn);
        ver := augur.require_deployed(nm);
        d := augur.defs(nm, ver);
        PERFORM augur.view_check_model(vn, d, (SELECT pg_catalog.cardinality(string_to_array(input_columns, ',')) FROM augur.views WHERE name = vn), false);
        PERFORM augur.view_move_to(vn, ver);
        PERFORM augur.view_model_changed(vn, 'deploy', false);
    END LOOP;
END $$;
