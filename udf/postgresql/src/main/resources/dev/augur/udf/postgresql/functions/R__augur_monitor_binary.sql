-- Whether a version is a binary classifier (its scores promise the accuracy max(p, 1 - p)); false for a version not in
-- the catalog
CREATE OR REPLACE FUNCTION augur.monitor_binary(p_model text, p_version integer) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT augur.kind_link(d.kind) <> 'identity' AND pg_catalog.cardinality(d.classes) = 2
                     FROM augur.model_defs d WHERE d.name = p_model AND d.version = p_version), false)
$$;
