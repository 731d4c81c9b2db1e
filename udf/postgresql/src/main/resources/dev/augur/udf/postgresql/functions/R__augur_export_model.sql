CREATE OR REPLACE FUNCTION augur.export_model(p_name text, p_version integer DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE SET extra_float_digits = 3 AS $$
DECLARE nm text := augur.check_name(p_name); ver integer; d augur.model_defs; feats text; w text; b text;
BEGIN
    IF p_version IS NOT NULL THEN
        ver := augur.require_version(nm, p_version);
    ELSE
        SELECT version INTO ver FROM augur.deployed WHERE name = nm;
        IF ver IS NULL THEN ver := augur.latest(nm); END IF;
    END IF;
    PERFORM augur.check_payload(nm, ver);
    d := augur.defs(nm, ver);
    IF d.feature_type = 'dense' THEN
        feats := '{"type":"dense","inputs":' || pg_catalog.to_json(d.inputs)::text || '}';
        IF d.outputs = 1 THEN
            w := pg_catalog.to_json(d.weights)::text;
        ELSE
            SELECT '[' || string_agg(pg_catalog.to_json(d.weights[(o - 1) * d.dimension + 1 : o * d.dimension])::text, ',' ORDER BY o) || ']'
            INTO w FROM generate_series(1, d.outputs) o;
        END IF;
    ELSE
        feats := '{"type":"bag_of_words","input":' || pg_catalog.to_json(d.inputs[1])::text || ',"weighting":' || pg_catalog.to_json(d.weighting)::text
            || ',"ngrams":' || d.ngrams || ',"hash_bits":' || d.hash_bits || ',"normalize":' || d.normalize
            || ',"vocabulary":' || coalesce((SELECT pg_catalog.json_agg(term ORDER BY feature)::text FROM augur.model_terms
                                             WHERE name = nm AND version = ver AND term IS NOT NULL), '[]')
            || CASE WHEN d.weighting = 'tfidf' THEN ',"idf":' || (SELECT pg_catalog.json_agg(idf ORDER BY feature)::text FROM augur.model_terms
                                                                   WHERE name = nm AND version = ver) ELSE '' END || '}';
        SELECT '[' || string_agg(row_text, ',' ORDER BY o) || ']' INTO w FROM (
            SELECT o, (SELECT pg_catalog.json_agg(coalesce(mw.weight, 0) ORDER BY f)::text
                       FROM generate_series(0, d.dimension - 1) f
                       LEFT JOIN augur.model_weights mw ON mw.name = nm AND mw.version = ver AND mw.feature = f AND mw.output = o) AS row_text
            FROM generate_series(0, d.outputs - 1) o) s;
        IF d.outputs = 1 THEN w := substr(w, 2, length(w) - 2); END IF;
    END IF;
    b := CASE WHEN d.outputs = 1 THEN pg_catalog.to_json(d.bias[1])::text ELSE pg_catalog.to_json(d.bias)::text END;
    RETURN '{"format":"augur-model","format_version":1,"name":' || pg_catalog.to_json(nm)::text || ',"kind":' || pg_catalog.to_json(d.kind)::text
        || ',"features":' || feats || ',"classes":' || pg_catalog.to_json(d.classes)::text || ',"weights":' || w || ',"bias":' || b || '}';
END $$;
