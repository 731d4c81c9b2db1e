-- The margin screen's view of a model change (MarginScreen.step in the engine, pinned by PgGoldenVectorsTest): the change
-- dw = w - wa of a single-margin model's weights as 16-bit steps p with a scale t (dw = t*p + f), and what bounds the
-- rest: steps_norm >= |p|_2, rest_norm >= |f|_2, the bias's change, |w|_2 + |wa|_2 and |b| + |ba|. NULLs where the screen
-- does not apply: weights of other lengths, more than 512 of them (the integer dot product could overflow), or a weight
-- or bias not finite or above 1e100 in magnitude (MarginScreen.MAX_MAGNITUDE: no sum here can overflow). The sums run
-- in the engine's order, so the bits are its own.
CREATE OR REPLACE FUNCTION augur.screen_step(wa float8[], w float8[], ba float8, b float8, OUT steps integer[], OUT step_scale float8,
    OUT steps_norm float8, OUT rest_norm float8, OUT delta_bias float8, OUT weight_norms float8, OUT bias_magnitude float8)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $$
DECLARE
    d integer := pg_catalog.cardinality(w);
    delta float8[];
    max_abs float8 := 0;
    delta_sq float8 := 0; w_sq float8 := 0; wa_sq float8 := 0; p_sq float8 := 0; f_sq float8 := 0;
    q float8; f float8;
BEGIN
    IF d IS NULL OR d = 0 OR d > 512 OR pg_catalog.cardinality(wa) IS DISTINCT FROM d OR b IS NULL OR ba IS NULL
            OR NOT (abs(b) <= 1e100::float8 AND abs(ba) <= 1e100::float8) THEN
        RETURN;
    END IF;
    FOR j IN 1 .. d LOOP
        IF NOT (abs(w[j]) <= 1e100::float8 AND abs(wa[j]) <= 1e100::float8) THEN
            RETURN;
        END IF;
    END LOOP;
    delta := pg_catalog.array_fill(0::float8, ARRAY[d]);
    FOR j IN 1 .. d LOOP
        delta[j] := w[j] - wa[j];
        max_abs := greatest(max_abs, abs(delta[j]));
        delta_sq := delta_sq + delta[j] * delta[j];
        w_sq := w_sq + w[j] * w[j];
        wa_sq := wa_sq + wa[j] * wa[j];
    END LOOP;
    step_scale := max_abs / 32767;
    steps := pg_catalog.array_fill(0, ARRAY[d]);
    FOR j IN 1 .. d LOOP
        q := CASE WHEN step_scale = 0 THEN 0 ELSE greatest(-32767::float8, least(32767::float8, round(delta[j] / step_scale))) END;
        steps[j] := q::integer;
        p_sq := p_sq + q * q;
        f := delta[j] - step_scale * q;
        f_sq := f_sq + f * f;
    END LOOP;
    -- the rest f is computed from the computed dw: the second term covers dw's own rounding (2^-53 of each)
    rest_norm := sqrt(f_sq) * (1::float8 + 1e-9::float8) + 1e-12::float8 * sqrt(delta_sq);
    steps_norm := sqrt(p_sq) * (1::float8 + 1e-12::float8);
    delta_bias := b - ba;
    weight_norms := sqrt(w_sq) + sqrt(wa_sq);
    bias_magnitude := abs(b) + abs(ba);
END $$;
