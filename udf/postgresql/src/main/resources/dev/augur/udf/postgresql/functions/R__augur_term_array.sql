-- Fast bag-of-words scoring on PostgreSQL. V1 scored a text through augur.bow_vector (a PL/pgSQL function
-- returning a table: window functions for the n-grams, a LEFT JOIN of every term to the vocabulary, per-row
-- CTEs) and a second join to the weights: ~0.9 ms for a document of 20 terms. Now augur.margins hands a
-- bag-of-words model to augur.bow_margins, which scores the text set-based: the terms as one array (the same
-- tokenizer, augur.tokens, so tokenization stays byte-identical), grouped with their counts, and for each
-- distinct term one scalar subquery that probes the indexes (model_terms by term, model_weights by feature),
-- so the plan never depends on the size of the catalog. PREDICT, PREDICT_LABEL, PREDICT_PROBA (and the margins
-- PREDICT_EXPLAIN reports) all take it.

-- the terms of a text as the engine enumerates them, as an array: each token followed by the n-grams that start
-- there (augur.terms gives the same terms, with their positions, for PREDICT_EXPLAIN)
CREATE OR REPLACE FUNCTION augur.term_array(body text, ngrams integer) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN ngrams = 1 THEN augur.tokens(body) ELSE ARRAY(
        SELECT pg_catalog.array_to_string(t.a[i : i + k - 1], ' ')
        FROM (SELECT augur.tokens(body) AS a) t, generate_series(1, pg_catalog.cardinality(t.a)) i, generate_series(1, ngrams) k
        WHERE i + k - 1 <= pg_catalog.cardinality(t.a)
        ORDER BY i, k) END
$$;
