-- The data trigger's body of an eager view (dense or bag of words) or a classification view: the changed row of the
-- base table follows in the same transaction. cols: the key's companions that predictions read (an update of other
-- columns changes none); score_sql: the PL/pgSQL that scores row NEW into record r (and, with features, first computes
-- its feature vector into record f, which the classification view's row keeps for online learning); spread: the view
-- holds an ensemble, and r its spread and its anchor's (augur.view_score_ensemble_row).
DROP FUNCTION IF EXISTS augur.view_row_trigger_body(text, text, text, text[], text, boolean);
CREATE OR REPLACE FUNCTION augur.view_row_trigger_body(p_view text, vt text, k text, cols text[], score_sql text, features boolean,
    spread boolean) RETURNS text LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
DECLARE
    same text := pg_catalog.format('OLD.%1$I IS NOT DISTINCT FROM NEW.%1$I', k);
    extra_cols text := CASE WHEN features THEN ', f_idx, f_val' ELSE '' END || CASE WHEN spread THEN ', spread, anchor_spread' ELSE '' END;
    extra_vals text := CASE WHEN features THEN ', f.idx, f.val' ELSE '' END || CASE WHEN spread THEN ', r.spread, r.anchor_spread' ELSE '' END;
    extra_set text := CASE WHEN features THEN ', f_idx = EXCLUDED.f_idx, f_val = EXCLUDED.f_val' ELSE '' END
        || CASE WHEN spread THEN ', spread = EXCLUDED.spread, anchor_spread = EXCLUDED.anchor_spread' ELSE '' END;
BEGIN
    FOR i IN 1 .. pg_catalog.cardinality(cols) LOOP
        same := same || pg_catalog.format(' AND OLD.%1$I IS NOT DISTINCT FROM NEW.%1$I', cols[i]);
    END LOOP;
    RETURN pg_catalog.format($body$
DECLARE f record; r record;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM augur.view_lock(%1$L);
        DELETE FROM %2$s;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF %4$s THEN
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
    %5$s
    INSERT INTO %2$s AS v (%3$I, score, label, margin, norm_1, norm_2, norm_inf, model_version, scored_at, anchor_margin, dirty%6$s)
    VALUES (NEW.%3$I, r.score, r.label, r.margin, r.norm_1, r.norm_2, r.norm_inf, r.model_version, CURRENT_TIMESTAMP, r.anchor_margin,
            true%7$s)
    ON CONFLICT (%3$I) DO UPDATE SET score = EXCLUDED.score, label = EXCLUDED.label, margin = EXCLUDED.margin,
        norm_1 = EXCLUDED.norm_1, norm_2 = EXCLUDED.norm_2, norm_inf = EXCLUDED.norm_inf, model_version = EXCLUDED.model_version,
        scored_at = EXCLUDED.scored_at, anchor_margin = EXCLUDED.anchor_margin, dirty = true%8$s;
    RETURN NULL;
END $body$, p_view, vt, k, same, score_sql, extra_cols, extra_vals, extra_set);
END $gen$;
