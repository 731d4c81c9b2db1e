-- the table of an eager or hybrid view (or of a classification view: with_features), the catalog owner's
CREATE OR REPLACE FUNCTION augur.view_make_table(vt text, key text, key_type text, with_features boolean, with_key boolean) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    EXECUTE pg_catalog.format('CREATE TABLE %s (%I %s NOT NULL%s, score float8, label varchar(256), margin float8, norm_1 float8, '
        || 'norm_2 float8, norm_inf float8, model_version integer, scored_at timestamptz, anchor_margin float8, '
        || 'dirty boolean NOT NULL DEFAULT false%s)', vt, key, key_type, CASE WHEN with_key THEN ' PRIMARY KEY' ELSE '' END,
        CASE WHEN with_features THEN ', f_idx integer[], f_val float8[]' ELSE '' END);
END $$;
