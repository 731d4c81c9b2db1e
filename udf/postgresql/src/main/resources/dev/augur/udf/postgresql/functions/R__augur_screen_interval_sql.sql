-- Where a dense row's margin under a screened model change lies (MarginScreen.interval in the engine, pinned by
-- PgGoldenVectorsTest), as a FROM item LATERAL (...) scr with columns lo and hi: the row x as 8-bit codes c with the scale
-- s = |x|_inf / 127 (x = s*c + e, each |e_j| at most s/2, so |e|_2 <= r = s*sqrt(d)/2 with a slack for roundings), its
-- margin in [est - rad, est + rad] with est = anchor margin + db + t*s*(p.c), an exact integer dot product, and rad =
-- t*|p|*r + |f|*|x|_2 + a relative slack of 1e-11 that covers every rounding. The SQL expressions: x the features
-- (float8[]), ninf their |x|_inf, norm2 their |x|_2, am the anchor margin, steps the step's integer[] and st its [scale,
-- steps' norm, rest's norm, bias change, weight norms, bias magnitude] (augur.screen_step). NULLs for a row the screen
-- cannot bound (|x|_inf above 1e100, or nonzero below 1e-290); gate is a one-time filter of the row's values: a row it
-- spares is not coded (its lo and hi are then meaningless). Fenced with OFFSET 0, so that lo and hi are computed once a
-- row (pulled up, each of their references would compute them again). The codes never reach the engine's clamp to +-127 (|x_j|/s
-- is at most 127 within a rounding), so there is none here; round is rint, ties to even, like Math.rint: the same bits.
CREATE OR REPLACE FUNCTION augur.screen_interval_sql(gate text, x text, ninf text, norm2 text, am text, steps text, st text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
BEGIN
    RETURN pg_catalog.format($q$LATERAL (
        SELECT CASE WHEN %2$s = 0 OR %2$s BETWEEN 1e-290::float8 AND 1e100::float8 THEN k.est - k.rad END AS lo,
               CASE WHEN %2$s = 0 OR %2$s BETWEEN 1e-290::float8 AND 1e100::float8 THEN k.est + k.rad END AS hi
        FROM (SELECT %2$s / 127 AS s) sc,
        LATERAL (SELECT coalesce(sum(u.p * round(u.v / sc.s)), 0::float8) AS dot FROM unnest(%1$s, %5$s) AS u(v, p) WHERE sc.s > 0 AND %7$s) a,
        LATERAL (SELECT sc.s * sqrt(pg_catalog.cardinality(%1$s)::float8) * 0.5000000005::float8 AS r, %6$s[4] + %6$s[1] * sc.s * a.dot AS ch) e,
        LATERAL (SELECT %4$s + e.ch AS est,
                        %6$s[1] * %6$s[2] * e.r + %6$s[3] * %3$s
                        + 1e-11::float8 * (abs(%4$s) + abs(e.ch) + %6$s[5] * %3$s + %6$s[6]) AS rad) k OFFSET 0) scr$q$,
        x, ninf, norm2, am, steps, st, gate);
END $gen$;
