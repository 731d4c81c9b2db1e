-- java.util.Random's nextLong(): (next(32) << 32) + next(32) on its 48-bit LCG, with Java's wrap-around, in bigint
CREATE OR REPLACE FUNCTION augur.cv_next_long(INOUT seed bigint, OUT r bigint) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE hi bigint; lo bigint;
BEGIN
    FOR i IN 1 .. 2 LOOP
        seed := ((seed & 16777215) * 25214903917 + ((((seed >> 24) * 25214903917) & 16777215) << 24) + 11) & 281474976710655;
        IF i = 1 THEN
            hi := seed >> 16;  -- next(32) as an unsigned 32-bit number
        ELSE
            lo := seed >> 16;
        END IF;
    END LOOP;
    -- Java adds next(32) as a signed int: a second draw of 2^31 or more borrows one from the first; the first, signed
    -- and wrapped to 32 bits, is the high half of the 64 bits, the second (unsigned) the low half
    IF lo >= 2147483648 THEN
        hi := hi - 1;
    END IF;
    IF hi >= 2147483648 THEN
        hi := hi - 4294967296;
    END IF;
    r := hi * 4294967296 + lo;
END $$;
