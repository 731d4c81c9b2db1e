-- A view's options text as a JSON object (NULL or blank: none), every key one of p_allowed; else 22032 (not a JSON
-- object) or 22023 naming the unknown option and the known ones. Shared by prediction and classification views.
CREATE OR REPLACE FUNCTION augur.view_options(p_options text, p_allowed text[]) RETURNS jsonb LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    opts jsonb;
    bad text;
BEGIN
    IF p_options IS NULL OR trim(p_options) = '' THEN
        RETURN '{}';
    END IF;
    BEGIN
        opts := p_options::jsonb;
    EXCEPTION WHEN others THEN
        RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options are not valid JSON: ' || p_options;
    END;
    IF jsonb_typeof(opts) <> 'object' THEN
        RAISE EXCEPTION USING ERRCODE = '22032', MESSAGE = 'view options must be a JSON object, got: ' || p_options;
    END IF;
    SELECT o INTO bad FROM jsonb_object_keys(opts) o WHERE o <> ALL (p_allowed) LIMIT 1;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('unknown view option ''%s''; options: %s', bad,
            pg_catalog.array_to_string(p_allowed, ', '));
    END IF;
    RETURN opts;
END $$;
