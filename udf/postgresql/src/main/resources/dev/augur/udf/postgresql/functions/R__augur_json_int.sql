CREATE OR REPLACE FUNCTION augur.json_int(j jsonb, key text, dflt integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(j -> key) = 'number' THEN trunc((j ->> key)::numeric)::integer
                WHEN jsonb_typeof(j -> key) = 'string' AND (j ->> key) ~ '^\s*-?[0-9]+\s*$' THEN trim(j ->> key)::integer
                ELSE dflt END
$$;
