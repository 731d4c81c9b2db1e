-- Collections.shuffle(list, random) with java.util.Random.nextInt(bound): the engine's epoch order, reproduced
CREATE OR REPLACE FUNCTION augur.cv_shuffle(INOUT items integer[], INOUT seed bigint) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE j integer; r integer; u integer; m integer; t integer; s record;
BEGIN
    FOR i IN REVERSE cardinality(items) .. 2 LOOP
        s := augur.cv_next31(seed);
        seed := s.seed;
        r := s.r;
        m := i - 1;
        IF (i & m) = 0 THEN
            j := ((i::bigint * r) >> 31)::integer;
        ELSE
            u := r;
            j := u % i;
            WHILE u::bigint - j + m >= 2147483648 LOOP
                s := augur.cv_next31(seed);
                seed := s.seed;
                u := s.r;
                j := u % i;
            END LOOP;
        END IF;
        t := items[i];
        items[i] := items[j + 1];
        items[j + 1] := t;
    END LOOP;
END $$;
