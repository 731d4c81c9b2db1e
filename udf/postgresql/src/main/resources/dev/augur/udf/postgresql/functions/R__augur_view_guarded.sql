-- a generated function's body with a guard as its first statement
CREATE OR REPLACE FUNCTION augur.view_guarded(body text, guard text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT regexp_replace(body, E'\nBEGIN\n', E'\nBEGIN\n' || guard || E'\n')
$$;
