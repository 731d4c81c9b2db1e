CREATE OR REPLACE FUNCTION augur.view_index_table(vt text, key text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE INDEX ON %s (margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (anchor_margin)', vt);
    EXECUTE format('CREATE INDEX ON %s (%I) WHERE dirty', vt, key);
    EXECUTE format('GRANT SELECT ON %s TO augur_user', vt);
END $$;
