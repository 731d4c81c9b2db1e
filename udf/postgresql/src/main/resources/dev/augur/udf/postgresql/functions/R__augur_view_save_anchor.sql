CREATE OR REPLACE FUNCTION augur.view_save_anchor(p_view text, p_model text, p_version integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO augur.view_models (view_name, role, version, sha256, payload)
    SELECT p_view, 'anchor', m.version, m.sha256, p.payload
    FROM augur.models m JOIN augur.model_payloads p ON p.name = m.name AND p.version = m.version
    WHERE m.name = p_model AND m.version = p_version
    ON CONFLICT (view_name, role) DO UPDATE SET version = EXCLUDED.version, sha256 = EXCLUDED.sha256, payload = EXCLUDED.payload;
END $$;
