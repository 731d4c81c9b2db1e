-- Collections.shuffle(list, random) with java.util.Random.nextInt(bound): the engine's epoch order, reproduced
CREATE OR REPLACE FUNCTION augur.cv_shuffle(INOUT items integer[], INOUT seed bigint) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE j integer; t integer; s record;
BEGIN
    FOR i IN REVERSE pg_catalog.cardinality(items) .. 2 LOOP
        s := augur.cv_next_int(seed, i);
        seed := s.seed;
        j := s.r;
        t := items[i];
        items[i] := items[j + 1];
        items[j + 1] := t;
    END LOOP;
END $$;
