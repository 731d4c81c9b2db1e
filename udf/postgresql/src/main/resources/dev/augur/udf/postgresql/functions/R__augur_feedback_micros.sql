-- epoch microseconds of a time, and back (the engine's feedback rule works in whole microseconds). Through the time's
-- UTC reading (timestamp without time zone): extract and AT TIME ZONE 'UTC' are immutable on it, so the planner inlines
-- this function, where extract on a timestamptz is only stable and made every call a SQL function call.
CREATE OR REPLACE FUNCTION augur.feedback_micros(t timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
    SELECT (extract(epoch FROM t AT TIME ZONE 'UTC') * 1000000)::bigint
$$;
