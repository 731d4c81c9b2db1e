-- how messages name an experiment: 'bandit over versions [1, 2]'
CREATE OR REPLACE FUNCTION augur.experiment_describe(p_id bigint) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT e.strategy || ' over versions [' || (SELECT string_agg(a.model_version::text, ', ' ORDER BY a.arm) FROM augur.experiment_arms a
                                                WHERE a.experiment = e.id) || ']'
    FROM augur.experiments e WHERE e.id = p_id
$$;
