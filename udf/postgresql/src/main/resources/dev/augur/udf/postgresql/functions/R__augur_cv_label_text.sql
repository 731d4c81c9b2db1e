-- an example's label as the engine's SgdTrainer.labelText writes it (numbers without trailing zeros)
CREATE OR REPLACE FUNCTION augur.cv_label_text(label text, numeric_label boolean) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
BEGIN
    IF label IS NULL OR NOT numeric_label OR label ~* '^[-+]?(nan|infinity|inf)$' THEN
        RETURN label;
    END IF;
    RETURN trim_scale(label::numeric)::text;
END $$;
