-- ------------------------------------------------------------------------------------------------ learning

-- java.util.Random's next(31) on its 48-bit LCG, in bigint arithmetic without overflow (the multiplier split in two)
CREATE OR REPLACE FUNCTION augur.cv_next31(INOUT seed bigint, OUT r integer) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE lo bigint := seed & 16777215; hi bigint := seed >> 24;
BEGIN
    seed := (lo * 25214903917 + (((hi * 25214903917) & 16777215) << 24) + 11) & 281474976710655;
    r := (seed >> 17)::integer;
END $$;
