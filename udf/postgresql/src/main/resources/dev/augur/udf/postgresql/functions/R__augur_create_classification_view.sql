CREATE OR REPLACE FUNCTION augur.create_classification_view(p_name text, p_entities text, p_key text, p_examples text,
    p_examples_key text, p_label text, p_feature_function text, p_kind text DEFAULT 'logistic', p_options text DEFAULT NULL)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE ident constant text := '^[A-Za-z_][A-Za-z0-9_]*$';
BEGIN
    RETURN augur.cv_create(p_name, p_entities, p_key, p_examples, p_examples_key, p_label, p_feature_function, p_kind, p_options,
        current_schema()::text, CASE WHEN p_entities ~ ident THEN to_regclass(lower(p_entities)) END,
        CASE WHEN p_examples ~ ident THEN to_regclass(lower(p_examples)) END, current_user);
END $$;
