-- a generated function's body with a guard as its first statement, spliced in as plain text: as regexp_replace's
-- replacement the guard's backslashes were escapes, so a name quoted by %L that holds \' closed its literal early and
-- the rest of the name became code in a function of the catalog owner
CREATE OR REPLACE FUNCTION augur.view_guarded(body text, guard text) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    at constant integer := pg_catalog.strpos(body, E'\nBEGIN\n');
BEGIN
    IF at = 0 THEN
        RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = 'a generated function body has no line BEGIN for its guard';
    END IF;
    RETURN pg_catalog.substr(body, 1, at + 6) || guard || E'\n' || pg_catalog.substr(body, at + 7);
END $$;
