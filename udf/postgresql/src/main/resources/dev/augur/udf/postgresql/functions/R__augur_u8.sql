-- ----------------------------------------------------------------------------------- the payload codec
-- The binary payload exactly as the engine's ModelCodec writes it (big-endian), so the SHA-256 is the same
-- whichever side registered the model.
CREATE OR REPLACE FUNCTION augur.u8(v integer) RETURNS bytea LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT decode(lpad(to_hex(v), 2, '0'), 'hex')
$$;
