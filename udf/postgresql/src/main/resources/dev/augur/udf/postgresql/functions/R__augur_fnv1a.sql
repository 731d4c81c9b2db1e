-- hashing trick: FNV-1a 32 over the term's bytes (ASCII by construction), masked to bits
CREATE OR REPLACE FUNCTION augur.fnv1a(term text, bits integer) RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    h bigint := 2166136261;
    b bytea := convert_to(term, 'UTF8');
BEGIN
    FOR i IN 0 .. length(b) - 1 LOOP
        h := ((h # get_byte(b, i)) * 16777619) & 4294967295;
    END LOOP;
    RETURN (h & ((1::bigint << bits) - 1))::integer;
END $$;
