-- The first model of a classification view of an ensemble, as the engine's SgdTrainer.bagged trains a bagged kind:
-- member k draws its bootstrap sample of the n examples (key order) with nextInt(n) from java.util.Random seeded by
-- the k-th nextLong() of new Random(seed), then shuffles it every epoch with the same generator (augur.cv_shuffle)
-- and takes LinearSgd's steps on it (augur.cv_sgd) at rate / sqrt(1 + epoch); examples whose entity has NULL
-- features are skipped. Returns the members' weights (members x dim, row-major) and biases.
CREATE OR REPLACE FUNCTION augur.cv_bagged_train(p_kind text, p_l2 float8, p_dim integer, p_members integer, p_seed bigint,
    p_epochs integer, p_rate float8, p_idx integer[], p_val float8[], p_off integer[], p_targets integer[], p_usable boolean[],
    OUT w float8[], OUT b float8[]) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    n integer := coalesce(pg_catalog.cardinality(p_targets), 0);
    seeds bigint := (p_seed # 25214903917) & 281474976710655;
    rs bigint;
    s record;
    sample integer[];
    steps integer[];
    etas float8[];
BEGIN
    w := '{}';
    b := '{}';
    FOR k IN 1 .. p_members LOOP
        s := augur.cv_next_long(seeds);
        seeds := s.seed;
        rs := (s.r # 25214903917) & 281474976710655;
        sample := '{}';
        FOR i IN 1 .. n LOOP
            s := augur.cv_next_int(rs, n);
            rs := s.seed;
            sample := sample || s.r;
        END LOOP;
        steps := '{}';
        etas := '{}';
        FOR epoch IN 0 .. p_epochs - 1 LOOP
            s := augur.cv_shuffle(sample, rs);
            sample := s.items;
            rs := s.seed;
            FOR j IN 1 .. n LOOP
                IF p_usable[sample[j] + 1] THEN
                    steps := steps || (sample[j] + 1);
                    etas := etas || (p_rate / sqrt(1.0::float8 + epoch));
                END IF;
            END LOOP;
        END LOOP;
        s := augur.cv_sgd(p_kind, p_l2, pg_catalog.array_fill(0.0::float8, ARRAY[p_dim]), 0.0::float8, p_idx, p_val, p_off, p_targets, steps, etas);
        w := w || s.w;
        b := b || s.b;
    END LOOP;
END $$;
