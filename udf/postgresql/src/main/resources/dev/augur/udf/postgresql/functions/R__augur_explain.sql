-- PREDICT_EXPLAIN: the k largest contributions weight x value to the predicted output's margin, as JSON
CREATE OR REPLACE FUNCTION augur.explain(model text, k integer, x float8[], body text) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE PARALLEL SAFE AS $$
DECLARE r record; d augur.model_defs; m float8[]; o integer := 1; lbl text; contribs json;
BEGIN
    IF k IS NULL THEN RETURN NULL; END IF;
    r := augur.resolve(model); d := augur.defs(r.name, r.version);
    IF k < 1 THEN
        PERFORM augur.err('22023', pg_catalog.format('PREDICT_EXPLAIN needs k >= 1 (the number of contributions to list), got %s', k));
    END IF;
    m := augur.margins(d, x, body);
    IF m IS NULL THEN RETURN NULL; END IF;
    IF augur.kind_link(d.kind) <> 'identity' THEN
        lbl := augur.label(d, m);
        IF augur.kind_link(d.kind) = 'softmax' THEN o := pg_catalog.array_position(d.classes, lbl); END IF;
    END IF;
    -- an ensemble explains its members' mean margin by their mean weights (o NULL: every output, averaged)
    IF augur.kind_ensemble(d.kind) THEN o := NULL; END IF;
    IF d.feature_type = 'dense' THEN
        IF body IS NOT NULL THEN x := ARRAY[trim(body)::float8]; END IF;
        SELECT pg_catalog.json_agg(pg_catalog.json_build_object('feature', f, 'value', v, 'weight', w, 'contribution', v * w)
                        ORDER BY abs(v * w) DESC, f COLLATE "C")
        INTO contribs
        FROM (SELECT d.inputs[i] AS f, x[i] AS v, ww.w
              FROM generate_series(1, d.dimension) i,
                   LATERAL (SELECT CASE WHEN o IS NOT NULL THEN d.weights[(o - 1) * d.dimension + i]
                                        ELSE (SELECT sum(d.weights[q * d.dimension + i] ORDER BY q) FROM generate_series(0, d.outputs - 1) q)
                                             / d.outputs END AS w) ww
              ORDER BY abs(x[i] * ww.w) DESC, d.inputs[i] COLLATE "C" LIMIT k) s;
    ELSE
        SELECT pg_catalog.json_agg(pg_catalog.json_build_object('feature', f, 'value', v, 'weight', w, 'contribution', v * w)
                        ORDER BY abs(v * w) DESC, f COLLATE "C")
        INTO contribs
        FROM (SELECT CASE WHEN d.hash_bits > 0 THEN coalesce(bv.first_term, '#' || bv.feature) ELSE bv.first_term END AS f,
                     bv.value AS v, ww.w
              FROM augur.bow_vector(d.name, d.version, body) bv,
                   LATERAL (SELECT coalesce(sum(w.weight ORDER BY w.output), 0) / CASE WHEN o IS NULL THEN d.outputs ELSE 1 END AS w
                            FROM augur.model_weights w
                            WHERE w.name = d.name AND w.version = d.version AND w.feature = bv.feature
                              AND (o IS NULL OR w.output = o - 1)) ww
              ORDER BY abs(bv.value * ww.w) DESC,
                       (CASE WHEN d.hash_bits > 0 THEN coalesce(bv.first_term, '#' || bv.feature) ELSE bv.first_term END) COLLATE "C"
              LIMIT k) s;
    END IF;
    RETURN json_strip_nulls(pg_catalog.json_build_object('model', d.name, 'version', d.version, 'score', augur.score(d, m), 'label', lbl,
        'bias', CASE WHEN o IS NOT NULL THEN d.bias[o] ELSE (SELECT sum(b ORDER BY i) FROM pg_catalog.unnest(d.bias) WITH ORDINALITY u(b, i)) / d.outputs END,
        'contributions', coalesce(contribs, '[]'::json)))::text;
END $$;
