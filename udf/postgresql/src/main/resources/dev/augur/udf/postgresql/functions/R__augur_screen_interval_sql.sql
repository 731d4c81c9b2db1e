-- Where a dense row's margin under a screened model change lies (MarginScreen.interval in the engine, pinned by
-- PgGoldenVectorsTest), as a FROM item LATERAL (...) scr with columns lo and hi: the row x as 8-bit codes c with the scale
-- s = |x|_inf / 127 (x = s*c + e, r >= |e|_2), its margin in [est - rad, est + rad] with est = anchor margin + db +
-- t*s*(p.c), an exact integer dot product, and rad = t*|p|*r + |f|*|x|_2 + a relative slack of 1e-11 that covers every
-- rounding. The SQL expressions: x the features (float8[]), ninf their |x|_inf, norm2 their |x|_2, am the anchor margin,
-- steps the step's integer[] and st its [scale, steps' norm, rest's norm, bias change, weight norms, bias magnitude]
-- (augur.screen_step). NULLs for a row the screen cannot bound (a feature above 1e100) and where gate is false: gate is
-- a one-time filter of the row's values, so no row it spares is coded. The same operations in the same order as the
-- engine's (round is rint, ties to even, like Math.rint), so the same bits.
CREATE OR REPLACE FUNCTION augur.screen_interval_sql(gate text, x text, ninf text, norm2 text, am text, steps text, st text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp IMMUTABLE AS $gen$
BEGIN
    RETURN pg_catalog.format($q$LATERAL (
        SELECT CASE WHEN %2$s <= 1e100::float8 THEN k.est - k.rad END AS lo, CASE WHEN %2$s <= 1e100::float8 THEN k.est + k.rad END AS hi
        FROM (SELECT sum(q.p * q.c) AS dot, sum((q.v - q.s * q.c) * (q.v - q.s * q.c)) AS esq
              FROM (SELECT u.p, u.v, sc.s, CASE WHEN sc.s > 0 THEN greatest(-127::float8, least(127::float8, round(u.v / sc.s)))
                                                ELSE 0::float8 END AS c
                    FROM unnest(%1$s, %5$s) AS u(v, p), (SELECT %2$s / 127 AS s) sc WHERE %7$s) q) a,
        LATERAL (SELECT sqrt(a.esq) * (1::float8 + 1e-9::float8) + 1e-12::float8 * %2$s * sqrt(pg_catalog.cardinality(%1$s)::float8) AS r,
                        %6$s[4] + %6$s[1] * (%2$s / 127) * a.dot AS ch) e,
        LATERAL (SELECT %4$s + e.ch AS est,
                        %6$s[1] * %6$s[2] * e.r + %6$s[3] * %3$s
                        + 1e-11::float8 * (abs(%4$s) + abs(e.ch) + %6$s[5] * %3$s + %6$s[6]) AS rad) k) scr$q$,
        x, ninf, norm2, am, steps, st, gate);
END $gen$;
