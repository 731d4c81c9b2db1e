-- Stores (or replaces) the monitoring reference of a version: p_spec is the engine's Reference#toJson, made by the
-- engine from the rows (AUGUR.CAPTURE_REFERENCE and TRAIN MODEL through the jdbc:augur:postgresql: driver: scoring
-- the rows and binning them is the engine's, dev.augur.engine.monitor.Reference); its score bins are kept beside it and
-- the model's windows counted again. Returns the rows it summarizes. augur_admin's (who may capture a reference); run as
-- the catalog owner, the only writer of the monitoring tables.
CREATE OR REPLACE FUNCTION augur.store_reference(p_name text, p_version integer, p_source text, p_spec text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    nm text := augur.check_name(p_name);
    j jsonb;
    edges float8[];
    counts bigint[];
BEGIN
    PERFORM augur.require_version(nm, p_version);
    IF p_source IS NULL OR p_source NOT IN ('train', 'query') THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('a reference is captured by ''train'' or ''query'', not %s', p_source);
    END IF;
    BEGIN
        j := p_spec::jsonb;
        edges := ARRAY(SELECT e::float8 FROM jsonb_array_elements_text(j -> 'score_edges') e);
        counts := ARRAY(SELECT c::bigint FROM jsonb_array_elements_text(j -> 'score_counts') c);
    EXCEPTION WHEN data_exception OR invalid_text_representation THEN
        j := NULL;
    END;
    IF j IS NULL OR (j ->> 'rows') IS NULL OR pg_catalog.cardinality(counts) <> pg_catalog.cardinality(edges) + 1
       OR EXISTS (SELECT 1 FROM generate_series(2, pg_catalog.cardinality(edges)) i WHERE NOT edges[i - 1] < edges[i]) THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('the monitoring reference of model ''%s'' version %s is not one the engine '
            || 'writes (dev.augur.engine.monitor.Reference): capture it with AUGUR.CAPTURE_REFERENCE through the jdbc:augur:postgresql: driver',
            nm, p_version);
    END IF;
    DELETE FROM augur.model_references WHERE name = nm AND version = p_version;
    INSERT INTO augur.model_references (name, version, source, rows_used, mean_confidence, spec)
    VALUES (nm, p_version, p_source, (j ->> 'rows')::bigint, (j ->> 'mean_confidence')::float8, p_spec);
    INSERT INTO augur.reference_score_bins (name, version, bin, lower, upper, n)
    SELECT nm, p_version, b - 1, CASE WHEN b > 1 THEN edges[b - 1] END, CASE WHEN b <= pg_catalog.cardinality(edges) THEN edges[b] END, counts[b]
    FROM generate_series(1, pg_catalog.cardinality(counts)) b;
    PERFORM augur.monitor_recount(nm);
    RETURN (j ->> 'rows')::integer;
END $$;
