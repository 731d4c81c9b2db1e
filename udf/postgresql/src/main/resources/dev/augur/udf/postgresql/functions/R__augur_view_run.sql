-- runs the view's generated scoring function with model d (in schema augur, named after the view, whatever the catalog says)
CREATE OR REPLACE FUNCTION augur.view_run(v augur.views, p_mode text, d augur.model_defs, lo float8, hi float8, dl1 float8, dl2 float8,
    dlinf float8, db float8, lip float8) RETURNS augur.view_work LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE w augur.view_work;
BEGIN
    EXECUTE pg_catalog.format('SELECT * FROM augur.%I($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)', 'augur_vr_' || md5(v.name))
    INTO w USING p_mode, d.kind, d.weights, d.bias[1], d.classes, d.version, v.tolerance, lo, hi, dl1, dl2, dlinf, db, lip;
    RETURN w;
END $$;
