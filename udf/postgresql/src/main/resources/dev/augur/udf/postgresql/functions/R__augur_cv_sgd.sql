-- LinearSgd.step, one call for a whole sequence of steps: example steps[s] (features p_idx/p_val between
-- p_off[e] + 1 and p_off[e + 1], class index p_target[e]) at rate p_eta[s]. The same float8 operations in the
-- same order as the engine: z = scale · (v · x) + b; logistic g = sigmoid(z) − y, hinge g = −y when y·z < 1;
-- then the L2 decay of the lazy scale; then v −= (eta·g / scale) x, b −= eta·g. Returns w = scale · v, and b. With
-- p_keep < 1 every step is preceded by LinearSgd.forget: the model (scale and b) multiplied by p_keep (Forgetting).
CREATE OR REPLACE FUNCTION augur.cv_sgd(p_kind text, p_l2 float8, p_w float8[], p_b float8, p_idx integer[], p_val float8[],
    p_off integer[], p_target integer[], p_steps integer[], p_eta float8[], p_keep float8, OUT w float8[], OUT b float8)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    v float8[] := p_w;
    scale float8 := 1;
    logistic_loss boolean := (SELECT k.loss FROM augur.kinds() k WHERE k.name = p_kind) = 'logistic';
    e integer; eta float8; dot float8; z float8; ez float8; g float8; y float8; p float8; shrink float8; st float8; k integer;
BEGIN
    b := p_b;
    IF pg_catalog.cardinality(v) > 0 THEN
        v[1] := v[1];  -- expanded in place: element updates below cost O(1)
    END IF;
    FOR s IN 1 .. coalesce(pg_catalog.cardinality(p_steps), 0) LOOP
        e := p_steps[s];
        eta := p_eta[s];
        IF p_keep <> 1 THEN
            scale := scale * p_keep;
            -- a subnormal bias becomes 0 (its product would underflow, which PostgreSQL refuses), as in the engine
            b := CASE WHEN abs(b) < 2.2250738585072014e-308 THEN 0 ELSE b * p_keep END;
            IF scale < 1e-9 THEN
                FOR i IN 1 .. pg_catalog.cardinality(v) LOOP
                    v[i] := v[i] * scale;
                END LOOP;
                scale := 1;
            END IF;
        END IF;
        dot := 0;
        FOR j IN p_off[e] + 1 .. p_off[e + 1] LOOP
            dot := dot + v[p_idx[j] + 1] * p_val[j];
        END LOOP;
        z := scale * dot + b;
        IF logistic_loss THEN
            -- Links.sigmoid, not augur.sigmoid: the trajectory is the engine's bit for bit (golden vectors), and tanh's
            -- last bits differ. PostgreSQL raises 22003 where IEEE arithmetic rounds a result to 0, so exp beyond its
            -- range is 0 here, and a subnormal gradient (|z| past ~708 on the wrong side) is 0: the engine's step with
            -- it moves no weight of a normal magnitude.
            ez := CASE WHEN abs(z) > 745 THEN 0 ELSE exp(-abs(z)) END;
            p := CASE WHEN z >= 0 THEN 1.0::float8 / (1.0::float8 + ez) ELSE ez / (1.0::float8 + ez) END;
            g := p - p_target[e];
            IF abs(g) < 2.2250738585072014e-308 THEN
                g := 0;
            END IF;
        ELSE
            y := CASE WHEN p_target[e] = 1 THEN 1.0 ELSE -1.0 END;
            g := CASE WHEN y * z < 1 THEN -y ELSE 0 END;
        END IF;
        IF p_l2 <> 0 THEN
            shrink := 1 - eta * p_l2;
            IF shrink <= 0 THEN
                -- a decay step this large (learning_rate · l2 >= 1) takes the weights all the way to zero
                v := pg_catalog.array_fill(0.0::float8, ARRAY[pg_catalog.cardinality(v)]);
                scale := 1;
            ELSE
                scale := scale * shrink;
                IF scale < 1e-9 THEN
                    FOR i IN 1 .. pg_catalog.cardinality(v) LOOP
                        v[i] := v[i] * scale;
                    END LOOP;
                    scale := 1;
                END IF;
            END IF;
        END IF;
        IF g <> 0 THEN
            st := eta * g / scale;
            FOR j IN p_off[e] + 1 .. p_off[e + 1] LOOP
                k := p_idx[j] + 1;
                v[k] := v[k] - st * p_val[j];
            END LOOP;
            b := b - eta * g;
        END IF;
    END LOOP;
    IF scale = 1 THEN
        w := v;
    ELSE
        w := ARRAY(SELECT x * scale FROM pg_catalog.unnest(v) AS x);
    END IF;
END $$;
-- the steps without forgetting (training, and learning without a forgetting option)
CREATE OR REPLACE FUNCTION augur.cv_sgd(p_kind text, p_l2 float8, p_w float8[], p_b float8, p_idx integer[], p_val float8[],
    p_off integer[], p_target integer[], p_steps integer[], p_eta float8[], OUT w float8[], OUT b float8)
LANGUAGE sql IMMUTABLE AS $$
    SELECT s.w, s.b FROM augur.cv_sgd(p_kind, p_l2, p_w, p_b, p_idx, p_val, p_off, p_target, p_steps, p_eta, 1.0::float8) s
$$;
