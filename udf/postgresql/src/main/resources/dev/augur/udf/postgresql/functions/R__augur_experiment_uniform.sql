-- an experiment's uniform in (0, 1) from its seed, a purpose and the key, as the engine's Experiment.uniform: FNV-1a 32
-- over the UTF-8 bytes of 'seed:purpose:key', MurmurHash3's 32-bit finalizer, plus a half, over 2^32 (products of
-- two 32-bit numbers are taken in 16-bit halves: bigint holds 63 bits)
CREATE OR REPLACE FUNCTION augur.experiment_uniform(p_seed bigint, p_purpose text, p_key text) RETURNS float8
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    h bigint := 2166136261;
    b bytea := convert_to(p_seed::text || ':' || p_purpose || ':' || p_key, 'UTF8');
BEGIN
    FOR i IN 0 .. length(b) - 1 LOOP
        h := ((h # get_byte(b, i)) * 16777619) & 4294967295;
    END LOOP;
    h := h # (h >> 16);
    h := (h * (2246822507 & 65535) + (((h * (2246822507 >> 16)) & 65535) << 16)) & 4294967295;
    h := h # (h >> 13);
    h := (h * (3266489909 & 65535) + (((h * (3266489909 >> 16)) & 65535) << 16)) & 4294967295;
    h := h # (h >> 16);
    RETURN (h + 0.5) / 4294967296.0;
END $$;
