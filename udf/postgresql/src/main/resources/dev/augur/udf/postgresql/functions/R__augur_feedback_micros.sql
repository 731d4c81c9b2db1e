-- epoch microseconds of a time, and back (the engine's feedback rule works in whole microseconds)
CREATE OR REPLACE FUNCTION augur.feedback_micros(t timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(epoch FROM t) * 1000000)::bigint
$$;
