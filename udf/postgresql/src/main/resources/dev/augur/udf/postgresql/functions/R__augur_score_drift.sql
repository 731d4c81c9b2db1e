-- AUGUR.SCORE_DRIFT(model [, version]): the PSI of every score a version (NULL: the deployed one) served against its
-- reference's bins (the engine's Psi: shares floored at augur.psi_floor(), rendered from it); NULL when none was served.
-- Reads what augur_user may read, as its caller.
CREATE OR REPLACE FUNCTION augur.score_drift(p_model text, p_version integer DEFAULT NULL) RETURNS float8 LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp STABLE AS $$
DECLARE
    m text := augur.check_name(p_model);
    v integer := CASE WHEN p_version IS NULL THEN augur.require_deployed(m) ELSE augur.require_version(m, p_version) END;
    ref augur.model_references;
    live bigint;
BEGIN
    SELECT * INTO ref FROM augur.model_references r WHERE r.name = m AND r.version = v;
    IF NOT FOUND THEN
        PERFORM augur.no_reference(m, v);
    END IF;
    SELECT count(*) INTO live FROM augur.served_predictions s WHERE s.model = m AND s.model_version = v;
    IF live = 0 OR ref.rows_used = 0 THEN
        RETURN NULL;
    END IF;
    RETURN (SELECT sum((l.share - e.share) * ln(l.share / e.share) ORDER BY r.bin)
            FROM augur.reference_score_bins r
            CROSS JOIN LATERAL (SELECT GREATEST(augur.psi_floor(), r.n::float8 / ref.rows_used) AS share) e
            CROSS JOIN LATERAL (SELECT GREATEST(augur.psi_floor(), (SELECT count(*) FROM augur.served_predictions s
                                 WHERE s.model = m AND s.model_version = v AND (r.lower IS NULL OR s.score >= r.lower)
                                   AND (r.upper IS NULL OR s.score < r.upper))::float8 / live) AS share) l
            WHERE r.name = m AND r.version = v);
END $$;
