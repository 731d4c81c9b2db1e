-- A model's window counts and score bins counted again from the served log (after its window or a reference changed),
-- summed in the log's order as the trigger adds them; as H2's H2Monitor.recount
CREATE OR REPLACE FUNCTION augur.monitor_recount(p_model text) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE w bigint := (augur.monitor_options(p_model)).window_us;
BEGIN
    DELETE FROM augur.monitor_windows WHERE model = p_model;
    DELETE FROM augur.monitor_score_bins WHERE model = p_model;
    INSERT INTO augur.monitor_windows (model, model_version, window_start, n, score_sum, confidence_sum)
    SELECT p_model, s.model_version, augur.feedback_window(s.served_at, w), count(*), sum(s.score ORDER BY s.id),
           CASE WHEN augur.monitor_binary(p_model, s.model_version) THEN sum(GREATEST(s.score, 1 - s.score) ORDER BY s.id) END
    FROM augur.served_predictions s WHERE s.model = p_model GROUP BY s.model_version, augur.feedback_window(s.served_at, w);
    INSERT INTO augur.monitor_score_bins (model, model_version, window_start, bin, n)
    SELECT p_model, s.model_version, augur.feedback_window(s.served_at, w), r.bin, count(*)
    FROM augur.served_predictions s JOIN augur.reference_score_bins r ON r.name = s.model AND r.version = s.model_version
         AND (r.lower IS NULL OR s.score >= r.lower) AND (r.upper IS NULL OR s.score < r.upper)
    WHERE s.model = p_model GROUP BY s.model_version, augur.feedback_window(s.served_at, w), r.bin;
END $$;
