-- the data trigger's body for a bag-of-words view (V3's, with the document scored by augur.view_score_text)
CREATE OR REPLACE FUNCTION augur.view_bow_trigger_body(p_view text, vt text, k text, c text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $gen$
BEGIN
    RETURN format($body$
DECLARE r record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM augur.view_lock(%1$L);
        DELETE FROM %2$s;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.%3$I IS NOT DISTINCT FROM NEW.%3$I AND OLD.%4$I IS NOT DISTINCT FROM NEW.%4$I THEN
            RETURN NULL;  -- an update of other columns changes no prediction
        END IF;
    END IF;
    PERFORM augur.view_lock(%1$L);
    IF TG_OP = 'DELETE' THEN
        DELETE FROM %2$s WHERE %3$I = OLD.%3$I;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.%3$I IS DISTINCT FROM NEW.%3$I THEN
        DELETE FROM %2$s WHERE %3$I = OLD.%3$I;
    END IF;
    IF NEW.%3$I IS NULL THEN
        RETURN NULL;
    END IF;
    IF (TG_OP = 'INSERT' OR OLD.%3$I IS DISTINCT FROM NEW.%3$I) AND EXISTS (SELECT 1 FROM %2$s WHERE %3$I = NEW.%3$I) THEN
        PERFORM augur.view_duplicate(%1$L, NEW.%3$I::text);
    END IF;
    r := augur.view_score_text(%1$L, (NEW.%4$I)::text);
    INSERT INTO %2$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty)
    VALUES (NEW.%3$I, r.score, r.label, r.margin, r.norm_1, r.norm_2, r.norm_inf, r.model_version, CURRENT_TIMESTAMP, r.anchor_margin, true)
    ON CONFLICT (%3$I) DO UPDATE SET score = EXCLUDED.score, label = EXCLUDED.label, margin = EXCLUDED.margin,
        norm_1 = EXCLUDED.norm_1, norm_2 = EXCLUDED.norm_2, norm_inf = EXCLUDED.norm_inf, model_version = EXCLUDED.model_version,
        scored_at = EXCLUDED.scored_at, anchor_margin = EXCLUDED.anchor_margin, dirty = true;
    RETURN NULL;
END $body$, p_view, vt, k, c);
END $gen$;
