-- UPDATE of augur.views by a user: only the tunable columns (column privileges), only of a view it may write, only
-- finite numbers >= 0 (a hybrid view's tolerance is infinite by construction: labels only)
CREATE OR REPLACE FUNCTION augur.views_tune() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE k text; x float8;
BEGIN
    -- (Augur's own functions never set these columns: every UPDATE of them is a user's)
    PERFORM augur.view_require_writer(OLD, 'tune');
    IF OLD.mode = 'hybrid' AND NEW.tolerance IS DISTINCT FROM OLD.tolerance THEN
        RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option tolerance of hybrid view ''%s'' is not tunable: a hybrid '
            || 'view keeps labels only and computes its scores on read', OLD.name);
    END IF;
    FOREACH k IN ARRAY ARRAY['tolerance', 'alpha', 'learning_rate', 'l2'] LOOP
        x := CASE k WHEN 'tolerance' THEN NEW.tolerance WHEN 'alpha' THEN NEW.alpha WHEN 'learning_rate' THEN NEW.learning_rate
                    ELSE NEW.l2 END;
        IF x IS NULL OR x = 'NaN'::float8 OR x < 0 OR x = 'Infinity'::float8 AND NOT (k = 'tolerance' AND OLD.mode = 'hybrid') THEN
            RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = pg_catalog.format('option %s of view ''%s'' must be a finite number >= 0, got %s',
                k, OLD.name, x);
        END IF;
    END LOOP;
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER views_tune BEFORE UPDATE OF tolerance, alpha, learning_rate, l2 ON augur.views
    FOR EACH ROW EXECUTE FUNCTION augur.views_tune();
