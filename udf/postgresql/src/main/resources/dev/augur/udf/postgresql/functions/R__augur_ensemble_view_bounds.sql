-- Each member's Hölder bound for a change of a dense ensemble from version a to version d (ViewBounds.between, through
-- Model.memberBoundsTo): per member k, the L1, L2 and L-infinity norms of its weights' change and its bias's change
CREATE OR REPLACE FUNCTION augur.ensemble_view_bounds(a augur.model_defs, d augur.model_defs, OUT dl1 float8[], OUT dl2 float8[],
    OUT dlinf float8[], OUT db float8[]) LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE n integer := d.dimension; l1 float8; l2 float8; linf float8; dd float8;
BEGIN
    dl1 := '{}'; dl2 := '{}'; dlinf := '{}'; db := '{}';
    FOR o IN 0 .. d.outputs - 1 LOOP
        l1 := 0; l2 := 0; linf := 0;
        FOR i IN 1 .. n LOOP
            dd := abs(d.weights[o * n + i] - a.weights[o * n + i]);
            l1 := l1 + dd;
            l2 := l2 + dd * dd;
            linf := greatest(linf, dd);
        END LOOP;
        dl1 := dl1 || l1;
        dl2 := dl2 || sqrt(l2);
        dlinf := dlinf || linf;
        db := db || abs(d.bias[o + 1] - a.bias[o + 1]);
    END LOOP;
END $$;
