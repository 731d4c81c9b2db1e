-- the start of the window of w microseconds (from the epoch) holding t: the engine's FeedbackRule.windowStart
CREATE OR REPLACE FUNCTION augur.feedback_window(t timestamptz, w bigint) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT to_timestamp(0) + ((augur.feedback_micros(t) - (((augur.feedback_micros(t) % w) + w) % w)) * interval '1 microsecond')
$$;
