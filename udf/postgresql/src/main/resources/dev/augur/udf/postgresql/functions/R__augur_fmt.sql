-- ------------------------------------------------------------------------------------------------ scoring
CREATE OR REPLACE FUNCTION augur.fmt(v float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN v = trunc(v) AND abs(v) < 1e7 THEN trim(to_char(v, 'FM9999999999999999990')) || '.0' ELSE v::text END
$$;
