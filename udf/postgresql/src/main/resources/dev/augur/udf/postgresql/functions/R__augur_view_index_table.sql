-- the Hölder band's index ranges: anchor margins, and the rows written since the anchor. The margin itself is not
-- indexed: no plan reads a range of it, and an index on a column every re-scoring writes would rule out HOT updates.
CREATE OR REPLACE FUNCTION augur.view_index_table(vt text, key text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE pg_catalog.format('CREATE INDEX ON %s (anchor_margin)', vt);
    EXECUTE pg_catalog.format('CREATE INDEX ON %s (%I) WHERE dirty', vt, key);
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO augur_user', vt);
END $$;
