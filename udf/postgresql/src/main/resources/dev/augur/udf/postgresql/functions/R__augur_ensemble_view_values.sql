-- What a prediction view stores for an ensemble's margins m (Model.ViewValues of BaggedEnsemble): the score (the
-- members' mean), the label (a classifier's: the mean's side of 1/2), the view margin (a classifier's mean less 1/2,
-- whose sign is the label; a regressor's mean) and the spread; all NULL for NULL margins
CREATE OR REPLACE FUNCTION augur.ensemble_view_values(d augur.model_defs, m float8[], OUT margin float8, OUT score float8,
    OUT label text, OUT spread float8) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE PARALLEL SAFE AS $$
DECLARE link text := augur.kind_link(d.kind);
BEGIN
    IF m IS NULL THEN
        RETURN;
    END IF;
    score := augur.ensemble_mean(link, m);
    spread := augur.ensemble_spread(link, m);
    IF link = 'identity' THEN
        margin := score;
    ELSE
        margin := score - 0.5::float8;
        label := CASE WHEN score >= 0.5::float8 THEN d.classes[2] ELSE d.classes[1] END;
    END IF;
END $$;
