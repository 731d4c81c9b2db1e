-- the guard of a row trigger: a look at the row's own types (pg_typeof, no query) and the catalog only for a domain or
-- a changed type; statement-level calls (TRUNCATE) read no value of the table
CREATE OR REPLACE FUNCTION augur.view_row_guard(p_view text, cols text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT pg_catalog.format('    IF TG_LEVEL = ''ROW'' THEN
        IF %s THEN
            PERFORM augur.view_guard(%L, TG_RELID, NULL, %L::text[]);
        END IF;
    END IF;', (SELECT string_agg(pg_catalog.format('pg_typeof(NEW.%1$I)::oid >= 16384', c), ' OR ') FROM pg_catalog.unnest(cols) c), p_view, cols)
$$;
