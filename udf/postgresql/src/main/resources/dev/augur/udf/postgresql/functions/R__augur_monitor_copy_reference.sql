-- A calibrated copy (the same payload) is monitored against its source's reference, when that has one (from
-- augur.calibration_register, as H2's H2Monitor.copyReference)
CREATE OR REPLACE FUNCTION augur.monitor_copy_reference(p_name text, p_from integer, p_to integer) RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    INSERT INTO augur.model_references (name, version, source, rows_used, mean_confidence, spec)
    SELECT r.name, p_to, 'calibration', r.rows_used, r.mean_confidence, r.spec FROM augur.model_references r
    WHERE r.name = p_name AND r.version = p_from;
    INSERT INTO augur.reference_score_bins (name, version, bin, lower, upper, n)
    SELECT b.name, p_to, b.bin, b.lower, b.upper, b.n FROM augur.reference_score_bins b WHERE b.name = p_name AND b.version = p_from;
    IF FOUND THEN
        PERFORM augur.monitor_recount(p_name);
    END IF;
END $$;
