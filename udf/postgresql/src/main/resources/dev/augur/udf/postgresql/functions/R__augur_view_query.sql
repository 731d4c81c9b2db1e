-- A prediction view's query, SELECT key, PREDICT('model', column, ...) [AS name] FROM [schema.]table, in the shape
-- the engine's ViewDefinitions.predictionQuery accepts (a stock client has no engine to call; PgGoldenVectorsTest holds
-- this parse to the engine's on a corpus of queries): names as Names.isIdentifier takes them, comments skipped, the
-- model's name a string literal (quotes doubled). Key and inputs lower-cased as PostgreSQL folds them; all NULL when
-- the query is not of the shape.
CREATE OR REPLACE FUNCTION augur.view_query(p_query text, OUT key text, OUT model text, OUT inputs text[], OUT tbl text)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    ident constant text := '[A-Za-z][A-Za-z0-9_]{0,62}';
    -- comments become a space; string literals are kept whole (a comment marker inside one is text)
    q text := regexp_replace(p_query, '(''(?:[^'']|'''')*'')|--[^\n]*|/\*.*?\*/', '\1 ', 'g');
    parts text[] := regexp_match(q, '^\s*SELECT\s+(' || ident || ')\s*,\s*PREDICT\s*\(\s*''((?:[^'']|'''')*)''\s*((?:,\s*' || ident
        || '\s*)+)\)\s*(?:AS\s+' || ident || '\s*)?FROM\s+(' || ident || '(?:\s*\.\s*' || ident || ')?)\s*;?\s*$', 'i');
BEGIN
    IF parts IS NULL THEN
        RETURN;
    END IF;
    key := lower(parts[1]);
    model := replace(parts[2], '''''', '''');
    SELECT pg_catalog.array_agg(lower(trim(c)) ORDER BY i) INTO inputs
    FROM pg_catalog.unnest(string_to_array(parts[3], ',')) WITH ORDINALITY u(c, i) WHERE trim(c) <> '';
    tbl := regexp_replace(parts[4], '\s', '', 'g');
END $$;
