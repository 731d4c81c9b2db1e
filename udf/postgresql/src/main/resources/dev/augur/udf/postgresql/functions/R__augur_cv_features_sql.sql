-- the feature expression of a classification view (format placeholder %1$s: the row's alias), as V6 built it
CREATE OR REPLACE FUNCTION augur.cv_features_sql(v augur.views, l augur.view_learners) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE inputs text[] := string_to_array(v.input_columns, ',');
BEGIN
    IF l.feature_type = 'bag_of_words' THEN
        RETURN pg_catalog.format('augur.cv_bow((%%1$s.%I)::text, %s)', inputs[1], l.hash_bits);
    END IF;
    RETURN pg_catalog.format('augur.cv_dense(%L, %L, ARRAY[%s]::float8[])', v.name, inputs,
        pg_catalog.array_to_string(augur.view_inputs_sql(v.base_relation, inputs, '%1$s'), ', '));
END $$;
