-- the terms of a text in the engine's order: for each token, the token and the n-grams starting there
CREATE OR REPLACE FUNCTION augur.terms(body text, ngrams integer) RETURNS TABLE (pos integer, term text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ((s.r - 1) * ngrams + k)::integer,
           CASE k WHEN 1 THEN s.t0 WHEN 2 THEN s.t0 || ' ' || s.t1 WHEN 3 THEN s.t0 || ' ' || s.t1 || ' ' || s.t2
                  WHEN 4 THEN s.t0 || ' ' || s.t1 || ' ' || s.t2 || ' ' || s.t3
                  ELSE s.t0 || ' ' || s.t1 || ' ' || s.t2 || ' ' || s.t3 || ' ' || s.t4 END
    FROM (SELECT row_number() OVER w AS r, x.tok AS t0, lead(x.tok, 1) OVER w AS t1, lead(x.tok, 2) OVER w AS t2,
                 lead(x.tok, 3) OVER w AS t3, lead(x.tok, 4) OVER w AS t4
          FROM pg_catalog.unnest(augur.tokens(body)) WITH ORDINALITY AS x(tok, i)
          WINDOW w AS (ORDER BY x.i)) s,
         generate_series(1, ngrams) AS k
    WHERE CASE k WHEN 1 THEN TRUE WHEN 2 THEN s.t1 IS NOT NULL WHEN 3 THEN s.t2 IS NOT NULL
                 WHEN 4 THEN s.t3 IS NOT NULL ELSE s.t4 IS NOT NULL END
$$;
