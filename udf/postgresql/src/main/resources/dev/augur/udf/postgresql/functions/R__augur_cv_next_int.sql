-- java.util.Random's nextInt(bound) for bound >= 1: next(31) scaled for a power of two, else rejection of the top
-- partial range (augur.cv_shuffle draws with it)
CREATE OR REPLACE FUNCTION augur.cv_next_int(INOUT seed bigint, bound integer, OUT r integer) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE s record; u integer; m integer := bound - 1;
BEGIN
    s := augur.cv_next31(seed);
    seed := s.seed;
    IF (bound & m) = 0 THEN
        r := ((bound::bigint * s.r) >> 31)::integer;
        RETURN;
    END IF;
    u := s.r;
    r := u % bound;
    WHILE u::bigint - r + m >= 2147483648 LOOP
        s := augur.cv_next31(seed);
        seed := s.seed;
        u := s.r;
        r := u % bound;
    END LOOP;
END $$;
