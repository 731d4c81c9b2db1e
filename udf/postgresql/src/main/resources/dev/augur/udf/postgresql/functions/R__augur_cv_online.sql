-- OnlineLearner.learn over a statement's examples 1 .. n (ordinals p_ordinal .. p_ordinal + n − 1): a single model
-- (p_members = 1) takes one step per example, an ensemble's member m augur.cv_bag_steps(p_seed, m, ordinal) steps; each
-- step preceded by the decay p_keep (Forgetting's forget_decay; 1: none). With a window (p_window > 0; Forgetting's
-- forget_window) the restarted model (p_rw, p_rb) learns the same steps from zero, and after an example whose ordinal
-- + 1 is a multiple of p_window it becomes the live model and a new one starts from zero; the live model's steps
-- before that are then moot and not taken. Weights are members × p_dim, row-major; one bias per member.
CREATE OR REPLACE FUNCTION augur.cv_online(p_kind text, p_l2 float8, p_rate float8, p_keep float8, p_window integer, p_seed bigint,
    p_members integer, p_ordinal bigint, p_dim integer, p_w float8[], p_b float8[], p_rw float8[], p_rb float8[], p_idx integer[],
    p_val float8[], p_off integer[], p_targets integer[], OUT w float8[], OUT b float8[], OUT rw float8[], OUT rb float8[])
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    n integer := coalesce(pg_catalog.cardinality(p_targets), 0);
    lw float8[]; lb float8; mw float8[]; mb float8; st integer[]; r record;
BEGIN
    w := '{}';
    b := '{}';
    rw := CASE WHEN p_window > 0 THEN '{}'::float8[] END;
    rb := CASE WHEN p_window > 0 THEN '{}'::float8[] END;
    FOR m IN 0 .. p_members - 1 LOOP
        lw := CASE WHEN p_members = 1 THEN p_w ELSE p_w[m * p_dim + 1 : (m + 1) * p_dim] END;
        lb := p_b[m + 1];
        IF p_window > 0 THEN
            mw := p_rw[m * p_dim + 1 : (m + 1) * p_dim];
            mb := p_rb[m + 1];
        END IF;
        st := '{}';
        FOR e IN 1 .. n LOOP
            FOR s IN 1 .. CASE WHEN p_members > 1 THEN augur.cv_bag_steps(p_seed, m, p_ordinal + e - 1) ELSE 1 END LOOP
                st := st || e;
            END LOOP;
            IF p_window > 0 AND (p_ordinal + e) % p_window = 0 THEN
                r := augur.cv_sgd(p_kind, p_l2, mw, mb, p_idx, p_val, p_off, p_targets, st, pg_catalog.array_fill(p_rate, ARRAY[pg_catalog.cardinality(st)]));
                lw := r.w;
                lb := r.b;
                mw := pg_catalog.array_fill(0.0::float8, ARRAY[p_dim]);
                mb := 0;
                st := '{}';
            END IF;
        END LOOP;
        r := augur.cv_sgd(p_kind, p_l2, lw, lb, p_idx, p_val, p_off, p_targets, st, pg_catalog.array_fill(p_rate, ARRAY[pg_catalog.cardinality(st)]), p_keep);
        w := w || r.w;
        b := b || r.b;
        IF p_window > 0 THEN
            r := augur.cv_sgd(p_kind, p_l2, mw, mb, p_idx, p_val, p_off, p_targets, st, pg_catalog.array_fill(p_rate, ARRAY[pg_catalog.cardinality(st)]));
            rw := rw || r.w;
            rb := rb || r.b;
        END IF;
    END LOOP;
END $$;
