package dev.augur.engine.feedback;

import dev.augur.engine.AugurException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FeedbackRuleTest {
    private static FeedbackRule.Served served(long id, long at) {
        return new FeedbackRule.Served(id, 1, 0.5, at);
    }

    @Test
    void aLabelJoinsTheLatestPredictionServedAtOrBeforeItsTime() {
        var r = FeedbackRule.resolve(List.of(served(1, 10), served(2, 20), served(3, 30)),
                List.of(new FeedbackRule.Label(100, "1", 25), new FeedbackRule.Label(101, "1", 20), new FeedbackRule.Label(102, "0", 5)),
                null, null);
        assertThat(r.labels().get(100L)).isEqualTo(new FeedbackRule.Resolved(FeedbackRule.Outcome.DUPLICATE, 2L));
        assertThat(r.labels().get(101L)).isEqualTo(new FeedbackRule.Resolved(FeedbackRule.Outcome.JOINED, 2L));
        assertThat(r.labels().get(102L)).isEqualTo(new FeedbackRule.Resolved(FeedbackRule.Outcome.UNMATCHED, null));
        assertThat(r.implicit()).isEmpty();
    }

    @Test
    void equalTimesAreBrokenByArrivalAndByTheLastRecordedPrediction() {
        var r = FeedbackRule.resolve(List.of(served(7, 10), served(8, 10)),
                List.of(new FeedbackRule.Label(2, "1", 10), new FeedbackRule.Label(1, "0", 10)), null, null);
        assertThat(r.labels().get(1L)).isEqualTo(new FeedbackRule.Resolved(FeedbackRule.Outcome.JOINED, 8L));
        assertThat(r.labels().get(2L).outcome()).isEqualTo(FeedbackRule.Outcome.DUPLICATE);
    }

    @Test
    void implicitNegativesCountOnceTheClockPassesTheDeadlineAndALabelAtTheDeadlineIsInTime() {
        List<FeedbackRule.Served> s = List.of(served(1, 0), served(2, 100));
        List<FeedbackRule.Label> labels = List.of(new FeedbackRule.Label(1, "1", 50), new FeedbackRule.Label(2, "1", 250));
        var before = FeedbackRule.resolve(s, labels, 50L, 149L);
        assertThat(before.labels().get(1L).outcome()).isEqualTo(FeedbackRule.Outcome.JOINED);   // at the deadline: in time
        assertThat(before.implicit()).isEmpty();
        var after = FeedbackRule.resolve(s, labels, 50L, 250L);
        assertThat(after.implicit()).containsEntry(2L, 150L);
        assertThat(after.labels().get(2L)).isEqualTo(new FeedbackRule.Resolved(FeedbackRule.Outcome.DUPLICATE, 2L));
    }

    @Test
    void metricsTermsClipLogLossAndBinScores() {
        var sure = LiveMetrics.terms(LiveMetrics.Target.CLASS, List.of("no", "yes"), 1.0, "no");
        assertThat(sure.logLoss()).isCloseTo(-Math.log(1e-15), within(1e-3));
        assertThat(sure.bin()).isEqualTo(9);
        assertThat(sure.correct()).isZero();
        assertThat(LiveMetrics.terms(LiveMetrics.Target.CLASS, List.of("no", "yes"), 0.5, "yes").correct()).isOne();
        assertThat(LiveMetrics.terms(LiveMetrics.Target.VALUE, List.of(), 3, "5").squaredError()).isEqualTo(4);
        assertThatThrownBy(() -> LiveMetrics.terms(LiveMetrics.Target.CLASS, List.of("no", "yes"), 0.5, "maybe"))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"));
        assertThatThrownBy(() -> FeedbackRule.intervalMicros("WINDOW", 0))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"));
        assertThat(FeedbackRule.windowStart(-1, 10)).isEqualTo(-10);
    }
}
