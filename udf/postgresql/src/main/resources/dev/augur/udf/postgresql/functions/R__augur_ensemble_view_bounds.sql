-- Each member's Hölder bound for a change of a model from version a to version d (Model.memberBoundsTo, as ViewBounds
-- and HolderBound.of take it): per output k (an ensemble's member; one model's only margin), the L1, L2 and L-infinity
-- norms of its weights' change and its bias's change. The weights are d.weights (outputs x dimension, row-major), or,
-- where that is NULL (a catalog model over a bag of words), sparse in augur.model_weights (nonzero only: a feature
-- missing on one side weighs 0). The sums run in feature order, as the engine's, so both give the same bounds.
CREATE OR REPLACE FUNCTION augur.ensemble_view_bounds(a augur.model_defs, d augur.model_defs, OUT dl1 float8[], OUT dl2 float8[],
    OUT dlinf float8[], OUT db float8[]) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE n integer := d.dimension; l1 float8; l2 float8; linf float8; dd float8;
BEGIN
    dl1 := '{}'; dl2 := '{}'; dlinf := '{}'; db := '{}';
    FOR o IN 0 .. d.outputs - 1 LOOP
        IF d.weights IS NULL THEN
            SELECT coalesce(sum(z.dd ORDER BY z.f), 0), coalesce(sum(z.dd * z.dd ORDER BY z.f), 0), coalesce(max(z.dd), 0)
            INTO l1, l2, linf
            FROM (SELECT coalesce(x.feature, y.feature) AS f, abs(coalesce(y.weight, 0.0::float8) - coalesce(x.weight, 0.0::float8)) AS dd
                  FROM (SELECT mw.feature, mw.weight FROM augur.model_weights mw
                        WHERE mw.name = a.name AND mw.version = a.version AND mw.output = o) x
                  FULL JOIN (SELECT mw.feature, mw.weight FROM augur.model_weights mw
                             WHERE mw.name = d.name AND mw.version = d.version AND mw.output = o) y ON y.feature = x.feature) z;
        ELSE
            l1 := 0; l2 := 0; linf := 0;
            FOR i IN 1 .. n LOOP
                dd := abs(d.weights[o * n + i] - a.weights[o * n + i]);
                l1 := l1 + dd;
                l2 := l2 + dd * dd;
                linf := greatest(linf, dd);
            END LOOP;
        END IF;
        dl1 := dl1 || l1;
        dl2 := dl2 || sqrt(l2);
        dlinf := dlinf || linf;
        db := db || abs(d.bias[o + 1] - a.bias[o + 1]);
    END LOOP;
END $$;
