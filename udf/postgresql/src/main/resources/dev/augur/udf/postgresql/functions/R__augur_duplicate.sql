-- Errors.duplicate: a model naming one class (or input) twice is 22023, naming it and the list (each abbreviated)
CREATE OR REPLACE FUNCTION augur.duplicate(model text, what text, val text, vals text[]) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE all_vals text := pg_catalog.array_to_string(vals, ', ');
BEGIN
    PERFORM augur.err('22023', pg_catalog.format('model ''%s'' has %s ''%s'' twice (%s: %s); give each %s a distinct name', model, what,
        CASE WHEN length(val) <= 40 THEN val ELSE left(val, 40) || '...' END,
        CASE WHEN what = 'class' THEN 'classes' ELSE what || 's' END,
        CASE WHEN length(all_vals) <= 200 THEN all_vals ELSE left(all_vals, 200) || '...' END, what));
END $$;
