-- AUGUR.CALIBRATE_MODEL(name, version, calibration_query [, options]): scores the calibration query's rows (the model's
-- inputs, then the true class or value) with version p_version (NULL: the deployed one), as the engine's
-- Conformal.calibrate does (rows with a NULL skipped; classifiers 1 - p(true class), regressors |y - score|), and
-- registers a calibrated copy of the version through augur.calibration_register; returns its version (not deployed).
-- Runs as its caller (the query reads the caller's tables with the caller's rights); augur_admin's. The query is
-- planned in the caller's search_path, everything else in a pinned one (augur.calibrate_model_in).
CREATE OR REPLACE FUNCTION augur.calibrate_model(p_name text, p_version integer, p_query text, p_options text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    RETURN augur.calibrate_model_in(p_name, p_version, p_query, p_options, pg_catalog.current_setting('search_path'));
END $$;

CREATE OR REPLACE FUNCTION augur.calibrate_model_in(p_name text, p_version integer, p_query text, p_options text, p_caller_path text)
RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rows_ refcursor;
    q text;
    nm text := augur.check_name(p_name);
    ver integer;
    d augur.model_defs;
    opts jsonb;
    bad text;
    meth text := 'split';
    nin integer;
    row_json json;
    vals json[];
    types text[];
    x float8[];
    body text;
    lab text;
    c integer;
    m float8[];
    r integer := 0;
    strata integer[] := '{}';
    scores float8[] := '{}';
    spreads float8[] := '{}';
    offset_ float8;
BEGIN
    ver := CASE WHEN p_version IS NULL THEN augur.require_deployed(nm) ELSE augur.require_version(nm, p_version) END;
    IF p_options IS NOT NULL AND trim(p_options) <> '' THEN
        BEGIN
            opts := p_options::jsonb;
        EXCEPTION WHEN others THEN
            PERFORM augur.err('22032', 'calibration options are not valid JSON: ' || p_options || ' (example: {"method": "mondrian"})');
        END;
        IF jsonb_typeof(opts) <> 'object' THEN
            PERFORM augur.err('22032', 'calibration options must be a JSON object, got: ' || p_options || ' (example: {"method": "mondrian"})');
        END IF;
        SELECT k INTO bad FROM jsonb_object_keys(opts) k WHERE k <> 'method' LIMIT 1;
        IF bad IS NOT NULL THEN
            PERFORM augur.err('22023', pg_catalog.format('unknown calibration option ''%s''; options: method', bad));
        END IF;
        IF opts ? 'method' THEN
            IF jsonb_typeof(opts -> 'method') = 'string' AND lower(trim(opts ->> 'method')) IN ('split', 'mondrian', 'normalized', 'cqr') THEN
                meth := lower(trim(opts ->> 'method'));
            ELSE
                PERFORM augur.err('22023', pg_catalog.format('option method must be split, mondrian, normalized or cqr, got %s', opts -> 'method'));
            END IF;
        END IF;
    END IF;
    IF p_query IS NULL OR trim(p_query) = '' THEN
        PERFORM augur.err('22023', 'CALIBRATE_MODEL needs a calibration query, e.g. ''SELECT body, is_spam FROM held_out'''
            || ' (the model''s inputs first, the true label last)');
    END IF;
    d := augur.defs(nm, ver);
    nin := pg_catalog.cardinality(d.inputs);
    IF meth = 'mondrian' AND augur.kind_link(d.kind) = 'identity' THEN
        PERFORM augur.err('22023', pg_catalog.format('model ''%s'' is a %s model without classes; Mondrian calibration groups rows by class: '
            || 'use method split', nm, (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind)));
    END IF;
    IF meth = 'cqr' AND augur.kind_uncertainty(d.kind) <> 'quantiles' THEN
        PERFORM augur.err('22023', pg_catalog.format('model ''%s'' is a %s model; method cqr conformalizes a quantile model''s trained interval '
            || '(%s): use method split', nm, (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind),
            (SELECT string_agg(k.name, ', ' ORDER BY k.id) FROM augur.kinds() k WHERE k.uncertainty = 'quantiles')));
    END IF;
    -- split conformal of a quantile model scores its interval, not its median (conformalized quantile regression)
    IF meth = 'split' AND augur.kind_uncertainty(d.kind) = 'quantiles' THEN
        meth := 'cqr';
    END IF;
    IF meth = 'normalized' AND (augur.kind_link(d.kind) <> 'identity' OR NOT (SELECT k.spread FROM augur.kinds() k WHERE k.name = d.kind)) THEN
        PERFORM augur.err('22023', pg_catalog.format('model ''%s'' is a %s model; normalized calibration divides a regressor''s residual by its '
            || 'spread, which only regressors with a spread have (%s): use method split', nm,
            (SELECT k.title FROM augur.kinds() k WHERE k.name = d.kind),
            (SELECT string_agg(k.name, ', ' ORDER BY k.id) FROM augur.kinds() k WHERE k.spread AND k.link = 'identity')));
    END IF;
    -- json (not jsonb) keeps the columns in order, repeated names included
    -- the caller's query sees the caller's search_path while it is planned (its tables and functions), and only then
    q := pg_catalog.format('SELECT pg_catalog.row_to_json(q) FROM (%s) q', p_query);
    PERFORM pg_catalog.set_config('search_path', p_caller_path, true);
    OPEN rows_ FOR EXECUTE q;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    LOOP
        FETCH rows_ INTO row_json;
        EXIT WHEN NOT FOUND;
        r := r + 1;
        SELECT pg_catalog.array_agg(e.value ORDER BY e.ord), pg_catalog.array_agg(json_typeof(e.value) ORDER BY e.ord) INTO vals, types
        FROM json_each(row_json) WITH ORDINALITY e(key, value, ord);
        IF coalesce(pg_catalog.cardinality(vals), 0) <> nin + 1 THEN
            PERFORM augur.err('22023', pg_catalog.format('the calibration query returns %s column%s; model ''%s'' needs its %s input%s (%s) followed by the %s',
                coalesce(pg_catalog.cardinality(vals), 0), CASE WHEN pg_catalog.cardinality(vals) = 1 THEN '' ELSE 's' END, nm, nin,
                CASE WHEN nin = 1 THEN '' ELSE 's' END, pg_catalog.array_to_string(d.inputs, ', '),
                CASE WHEN augur.kind_link(d.kind) = 'identity' THEN 'true value' ELSE 'true class' END));
        END IF;
        IF 'null' = ANY (types) THEN
            CONTINUE;
        END IF;
        body := NULL;
        x := NULL;
        IF d.feature_type = 'bag_of_words' THEN
            IF types[1] <> 'string' THEN
                PERFORM augur.wrong_type(nm, d.inputs[1], 'text', vals[1]::text);
            END IF;
            body := vals[1] #>> '{}';
        ELSE
            x := '{}';
            FOR i IN 1 .. nin LOOP
                IF types[i] = 'boolean' THEN
                    x := x || CASE WHEN (vals[i] #>> '{}')::boolean THEN 1::float8 ELSE 0::float8 END;
                ELSE
                    BEGIN
                        x := x || trim(vals[i] #>> '{}')::float8;
                    EXCEPTION WHEN invalid_text_representation THEN
                        PERFORM augur.wrong_type(nm, d.inputs[i], 'a number', 'text ''' || left(vals[i] #>> '{}', 40) || '''');
                    END;
                END IF;
            END LOOP;
        END IF;
        m := augur.margins(d, x, body);
        IF augur.kind_link(d.kind) = 'identity' THEN
            IF types[nin + 1] <> 'number' THEN
                PERFORM augur.err('42804', pg_catalog.format('calibration row %s has the value %s; model ''%s'' is a regressor and needs a finite '
                    || 'number as the last column', r, vals[nin + 1] #>> '{}', nm));
            END IF;
            strata := strata || 0;
            scores := scores || CASE WHEN meth = 'cqr'
                -- Conformal.cqrScore: max(lo - y, y - hi)
                THEN greatest((augur.quantile_interval(m))[1] - (vals[nin + 1] #>> '{}')::float8,
                              (vals[nin + 1] #>> '{}')::float8 - (augur.quantile_interval(m))[2])
                ELSE abs((vals[nin + 1] #>> '{}')::float8 - augur.score(d, m)) END;
            IF meth = 'normalized' THEN
                spreads := spreads || augur.spread(d, m);
            END IF;
        ELSE
            -- the label's text as the engine's SgdTrainer.labelText writes it: 1, 1.0 and 1e0 are class 1
            lab := CASE WHEN types[nin + 1] = 'number' THEN trim_scale((vals[nin + 1] #>> '{}')::numeric)::text ELSE vals[nin + 1] #>> '{}' END;
            c := pg_catalog.array_position(d.classes, lab);
            IF c IS NULL THEN
                PERFORM augur.err('22023', pg_catalog.format('calibration row %s has the label ''%s'', not a class of model ''%s'' (classes: %s)', r,
                    CASE WHEN length(lab) <= 40 THEN lab ELSE left(lab, 40) || '...' END, nm, pg_catalog.array_to_string(d.classes, ', ')));
            END IF;
            strata := strata || CASE WHEN meth = 'split' THEN 0 ELSE c END;
            scores := scores || (1 - augur.proba(d, lab, m));
        END IF;
    END LOOP;
    CLOSE rows_;
    IF meth = 'normalized' AND pg_catalog.cardinality(scores) > 0 THEN
        -- Conformal.calibrateNormalized: the residual over (spread + the rows' lower median spread)
        SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY s) INTO offset_ FROM pg_catalog.unnest(spreads) s;
        IF NOT offset_ > 0 THEN
            PERFORM augur.err('22023', pg_catalog.format('%s on at least half of the calibration rows '
                || '(median spread 0), so its spread cannot scale the residuals: use method split',
                CASE WHEN augur.kind_ensemble(d.kind) THEN pg_catalog.format('the members of model ''%s'' agree exactly', nm)
                     ELSE pg_catalog.format('model ''%s'' has a spread of 0', nm) END));
        END IF;
        SELECT pg_catalog.array_agg(u.v / (u.s + offset_) ORDER BY u.i) INTO scores FROM unnest(scores, spreads) WITH ORDINALITY u(v, s, i);
    END IF;
    RETURN augur.calibration_register(nm, ver, meth, strata, scores, offset_);
END $$;
