package dev.augur.engine.selection;

import dev.augur.engine.AugurException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExperimentTest {
    private static final Experiment.Options DEFAULTS = Experiment.Options.fromJson(null);

    @Test
    void normalQuantileMatchesKnownValues() {
        assertThat(Experiment.normalQuantile(0.5)).isCloseTo(0, within(1e-12));
        assertThat(Experiment.normalQuantile(0.975)).isCloseTo(1.959963984540054, within(5e-9));
        assertThat(Experiment.normalQuantile(0.01)).isCloseTo(-2.326347874040841, within(5e-9));
        assertThat(Experiment.normalQuantile(1e-6)).isCloseTo(-4.753424308822899, within(1e-8));
        assertThat(Experiment.normalQuantile(0.999)).isCloseTo(3.090232306167814, within(5e-9));
        assertThatThrownBy(() -> Experiment.normalQuantile(1.0)).isInstanceOf(AugurException.class);
    }

    @Test
    void uniformsAreSpreadEvenly() {
        int[] bins = new int[10];
        for (int i = 0; i < 100_000; i++) {
            double u = Experiment.uniform(7, "arm", "key-" + i);
            assertThat(u).isGreaterThan(0).isLessThan(1);
            bins[(int) (u * 10)]++;
        }
        for (int b : bins) {
            assertThat(b).isBetween(9_500, 10_500);
        }
    }

    @Test
    void theFloorSendsItsShareToEveryArm() {
        // an arm that has lost badly still gets about floor / K of the traffic
        List<Experiment.Arm> arms = List.of(new Experiment.Arm(1, 10_000, 9_000), new Experiment.Arm(2, 10_000, 5_000));
        int toLoser = 0;
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            toLoser += Experiment.route(Experiment.Strategy.BANDIT, Experiment.Reward.ACCURACY, arms, DEFAULTS, "k" + i) == 1 ? 1 : 0;
        }
        assertThat((double) toLoser / n).isCloseTo(0.05, within(0.006));
    }

    @Test
    void thompsonFollowsTheEvidence() {
        // no evidence: an even split (minus nothing); close evidence: both get traffic; strong: the better one dominates
        assertThat(share(List.of(new Experiment.Arm(1, 0, 0), new Experiment.Arm(2, 0, 0)))).isCloseTo(0.5, within(0.02));
        double close = share(List.of(new Experiment.Arm(1, 20, 10), new Experiment.Arm(2, 20, 11)));
        assertThat(close).isBetween(0.3, 0.7);
        assertThat(share(List.of(new Experiment.Arm(1, 1000, 700), new Experiment.Arm(2, 1000, 800)))).isGreaterThan(0.94);
    }

    private static double share(List<Experiment.Arm> arms) {
        int toSecond = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            toSecond += Experiment.route(Experiment.Strategy.BANDIT, Experiment.Reward.ACCURACY, arms, DEFAULTS, "key " + i) == 1 ? 1 : 0;
        }
        return (double) toSecond / n;
    }

    @Property(tries = 300)
    void routingIsAPureFunctionOfKeyAndRewards(@ForAll @IntRange(min = 2, max = 5) int k, @ForAll @LongRange(min = 0, max = 500) long labels,
                                              @ForAll("keys") String key, @ForAll boolean best) {
        List<Experiment.Arm> arms = new java.util.ArrayList<>();
        for (int i = 0; i < k; i++) {
            arms.add(new Experiment.Arm(10 + i, labels, labels * i / k));
        }
        Experiment.Strategy s = best ? Experiment.Strategy.BEST : Experiment.Strategy.BANDIT;
        int a = Experiment.route(s, Experiment.Reward.ACCURACY, arms, DEFAULTS, key);
        assertThat(a).isBetween(0, k - 1);
        assertThat(Experiment.route(s, Experiment.Reward.ACCURACY, List.copyOf(arms), Experiment.Options.fromJson("{\"floor\": 0.1, \"seed\": 1}"), key)).isEqualTo(a);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> keys() {
        return net.jqwik.api.Arbitraries.strings().ofMaxLength(30);
    }

    @Test
    void bestPromotesOnlyOnceSignificant() {
        Experiment.Options o = Experiment.Options.fromJson("{\"min_labels\": 100, \"confidence\": 0.95}");
        // too few labels
        assertThat(Experiment.winner(List.of(new Experiment.Arm(1, 99, 90), new Experiment.Arm(2, 100, 50)), o)).isEqualTo(-1);
        // 0.60 vs 0.55 on 100 each: z = 0.71, not significant
        assertThat(Experiment.winner(List.of(new Experiment.Arm(1, 100, 55), new Experiment.Arm(2, 100, 60)), o)).isEqualTo(-1);
        // 0.80 vs 0.60 on 100 each: z = 3.09 > 1.645
        assertThat(Experiment.winner(List.of(new Experiment.Arm(1, 100, 60), new Experiment.Arm(2, 100, 80)), o)).isEqualTo(1);
        // three arms: Bonferroni (z > 1.96); the best must beat both
        assertThat(Experiment.winner(List.of(new Experiment.Arm(1, 100, 60), new Experiment.Arm(2, 100, 80),
                new Experiment.Arm(3, 100, 75)), o)).isEqualTo(-1);
        assertThat(Experiment.zStatistic(new Experiment.Arm(2, 100, 80), new Experiment.Arm(1, 100, 60)))
                .isCloseTo(0.2 / Math.sqrt(0.7 * 0.3 * 0.02), within(1e-12));
    }

    @Test
    void badOptionsAndVersionListsAreNamed() {
        assertThatThrownBy(() -> Experiment.Options.fromJson("{\"floor\": 1.5}")).hasMessageContaining("floor");
        assertThatThrownBy(() -> Experiment.Options.fromJson("{\"flor\": 0.1}")).hasMessageContaining("flor");
        assertThatThrownBy(() -> Experiment.Options.fromJson("{\"confidence\": 1}")).hasMessageContaining("confidence");
        assertThatThrownBy(() -> Experiment.checkVersions("spam", List.of(3))).hasMessageContaining("needs 2 to 16 versions");
        assertThatThrownBy(() -> Experiment.checkVersions("spam", List.of(3, 4, 3))).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Experiment.Strategy.of("greedy")).hasMessageContaining("bandit");
        assertThat(((AugurException) catchThrown(() -> Experiment.Options.fromJson("{\"floor\": -1}"))).sqlState()).isEqualTo("22023");
    }

    // ------------------------------------------------------------------ regressors: squared error

    /** A regressor's arm from its squared errors' mean, sample variance and count. */
    private static Experiment.Arm mse(int version, long n, double mean, double variance) {
        double s1 = mean * n;
        return Experiment.Arm.ofSquaredErrors(version, n, s1, (n - 1) * variance + s1 * s1 / n);
    }

    /** P(T_df >= t) to 17 digits (mpmath's regularized incomplete beta at 60 digits): t, df, tail. */
    private static final double[][] T_TAILS = {
            {0.05, 1.0, 4.8409774874382362e-1},
            {1, 1.0, 2.5e-1},
            {3, 1.0, 1.0241638234956673e-1},
            {40, 1.0, 7.9560899120258133e-3},
            {0.5, 1.5, 3.4028355533497e-1},
            {2, 2.7, 7.4711719035251007e-2},
            {2.2281388519649385, 10.0, 2.5000000000904334e-2},
            {1.7, 30.7, 4.9621245912391233e-2},
            {2, 30.7, 2.7207252973958993e-2},
            {3, 100.0, 1.7039576716647248e-3},
            {8, 100.0, 1.1364324038640403e-12},
            {1.96, 1234.5, 2.5110238040236215e-2},
            {2.5, 100000.0, 6.2104595962795227e-3},
            {1, 10000000.0, 1.5865526602999297e-1},
            {0.1, 2000000000.0, 4.6017216272798254e-1},
            {2, 2000000000.0, 2.2750132015667915e-2},
            {6, 2000000000.0, 9.8658781364345963e-10},
            {12, 3.3, 3.8929606084669462e-4},
            {300, 5.0, 3.9049537289611038e-12},
    };

    @Test
    void theStudentTTailIsExactForAnyDegreesOfFreedom() {
        for (double[] c : T_TAILS) {
            // the continued fraction loses digits as df grows (about df * 1e-16 relative): 1e-12 up to 1e5 degrees of freedom
            double relative = c[1] <= 1e5 ? 1e-12 : 1e-6;
            assertThat(Experiment.studentTUpperTail(c[0], c[1])).as("P(T_%s >= %s)", c[1], c[0])
                    .isCloseTo(c[2], within(c[2] * relative));
        }
        assertThat(Experiment.studentTUpperTail(0, 7)).isEqualTo(0.5);
        assertThat(Experiment.studentTUpperTail(1e101, 1)).isZero();
        // far in the tail: 0 where the power terms underflow, never an error or NaN
        assertThat(Experiment.studentTUpperTail(1e6, 1000)).isZero();
        assertThat(Experiment.studentTUpperTail(50, 3)).isGreaterThan(0).isLessThan(1e-5);
        // the tail falls as t grows, for a df that is not an integer
        double previous = 0.5;
        for (double t = 0.25; t < 20; t += 0.25) {
            double p = Experiment.studentTUpperTail(t, 7.3);
            assertThat(p).as("t %s", t).isLessThan(previous);
            previous = p;
        }
    }

    @Test
    void welchMatchesScipy() {
        // scipy.stats.ttest_ind_from_stats(0.5, sqrt(0.2), 30, 0.8, sqrt(0.5), 45, equal_var=False, alternative='less')
        assertThat(Experiment.welchPValue(mse(1, 30, 0.5, 0.2), mse(2, 45, 0.8, 0.5))).isCloseTo(0.013734766462084646, within(1e-12));
        // one arm without spread: df is the other's n - 1 (scipy: 0.005722233734750825)
        assertThat(Experiment.welchPValue(mse(1, 20, 1.0, 0), mse(2, 25, 1.3, 0.3))).isCloseTo(0.005722233734750825, within(1e-12));
        // no spread at all, or the "better" arm worse: no evidence
        assertThat(Experiment.welchPValue(mse(1, 20, 1.0, 0), mse(2, 25, 1.3, 0))).isEqualTo(1);
        assertThat(Experiment.welchPValue(mse(2, 45, 0.8, 0.5), mse(1, 30, 0.5, 0.2))).isEqualTo(1);
    }

    @Test
    void bestPromotesTheLowestSquaredErrorOnlyOnceSignificant() {
        Experiment.Options o = Experiment.Options.fromJson("{\"min_labels\": 30, \"confidence\": 0.95}");
        Experiment.Reward r = Experiment.Reward.SQUARED_ERROR;
        // too few labels
        assertThat(Experiment.winner(r, List.of(mse(1, 29, 0.5, 0.2), mse(2, 45, 0.8, 0.5)), o)).isEqualTo(-1);
        // p = 0.0137 < 0.05: the lower mean squared error wins, wherever it stands
        assertThat(Experiment.winner(r, List.of(mse(1, 45, 0.8, 0.5), mse(2, 30, 0.5, 0.2)), o)).isEqualTo(1);
        // at 0.99 it is not enough
        Experiment.Options strict = Experiment.Options.fromJson("{\"min_labels\": 30, \"confidence\": 0.99}");
        assertThat(Experiment.winner(r, List.of(mse(1, 45, 0.8, 0.5), mse(2, 30, 0.5, 0.2)), strict)).isEqualTo(-1);
        // three arms: Bonferroni halves alpha to 0.025: 0.0137 still passes against each, unless one is close
        assertThat(Experiment.winner(r, List.of(mse(1, 45, 0.8, 0.5), mse(2, 30, 0.5, 0.2), mse(3, 45, 0.8, 0.5)), o)).isEqualTo(1);
        assertThat(Experiment.winner(r, List.of(mse(1, 45, 0.8, 0.5), mse(2, 30, 0.5, 0.2), mse(3, 45, 0.55, 0.3)), o)).isEqualTo(-1);
        // a variance needs two labels: min_labels 1 waits for 2
        Experiment.Options one = Experiment.Options.fromJson("{\"min_labels\": 1}");
        assertThat(Experiment.winner(r, List.of(Experiment.Arm.ofSquaredErrors(1, 1, 0.1, 0.01),
                Experiment.Arm.ofSquaredErrors(2, 1, 9, 81)), one)).isEqualTo(-1);
        assertThat(Experiment.outcome(r, mse(4, 212, 0.3120 * 0.3120, 0.01))).isEqualTo("promoted version 4: rmse 0.3120 on 212 labels");
    }

    @Test
    void thompsonOnSquaredErrorSendsTrafficToTheLowerError() {
        Experiment.Reward r = Experiment.Reward.SQUARED_ERROR;
        // no labels: the pooled prior is the same for both, an even split
        assertThat(share(r, List.of(Experiment.Arm.ofSquaredErrors(1, 0, 0, 0), Experiment.Arm.ofSquaredErrors(2, 0, 0, 0))))
                .isCloseTo(0.5, within(0.02));
        // close evidence: both get traffic; strong: the lower error dominates (the second arm here)
        assertThat(share(r, List.of(mse(1, 10, 1.0, 1.0), mse(2, 10, 0.9, 1.0)))).isBetween(0.3, 0.8);
        assertThat(share(r, List.of(mse(1, 200, 1.0, 1.0), mse(2, 200, 0.5, 1.0)))).isGreaterThan(0.94);
        // an arm with one label takes the pooled variance: it is not trusted as a sure thing
        double oneLabel = share(r, List.of(mse(1, 50, 1.0, 1.0), Experiment.Arm.ofSquaredErrors(2, 1, 0.5, 0.25)));
        assertThat(oneLabel).isBetween(0.5, 0.9);
        // the floor still sends its share to the loser
        List<Experiment.Arm> lopsided = List.of(mse(1, 10_000, 0.1, 0.01), mse(2, 10_000, 5, 1));
        assertThat(share(r, lopsided)).isCloseTo(0.05, within(0.006));
    }

    private static double share(Experiment.Reward reward, List<Experiment.Arm> arms) {
        int toSecond = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            toSecond += Experiment.route(Experiment.Strategy.BANDIT, reward, arms, DEFAULTS, "key " + i) == 1 ? 1 : 0;
        }
        return (double) toSecond / n;
    }

    @Test
    void thePooledPriorIsWide() {
        Experiment.Pooled none = Experiment.pooled(List.of(Experiment.Arm.ofSquaredErrors(1, 0, 0, 0), Experiment.Arm.ofSquaredErrors(2, 0, 0, 0)));
        assertThat(none).isEqualTo(new Experiment.Pooled(0, 1));
        // one label: twice its square (a Gaussian error's squared error has variance 2 sigma^4)
        assertThat(Experiment.pooled(List.of(Experiment.Arm.ofSquaredErrors(1, 1, 3, 9), Experiment.Arm.ofSquaredErrors(2, 0, 0, 0))))
                .isEqualTo(new Experiment.Pooled(3, 18));
        // squared errors 1, 3 and 5: mean 3, variance 4
        Experiment.Pooled three = Experiment.pooled(List.of(Experiment.Arm.ofSquaredErrors(1, 2, 4, 10), Experiment.Arm.ofSquaredErrors(2, 1, 5, 25)));
        assertThat(three.mean()).isEqualTo(3);
        assertThat(three.variance()).isCloseTo(4, within(1e-12));
        // an arm with one label: mean its squared error, standard error the pooled deviation
        assertThat(Experiment.squaredErrorDraw(Experiment.Arm.ofSquaredErrors(2, 1, 5, 25), three, 0.8413447460685429))
                .isCloseTo(5 + 2, within(1e-6));
    }

    @Test
    void outcomesRoundAsPostgresqlPrintsThem() {
        assertThat(Experiment.outcome(Experiment.Reward.ACCURACY, new Experiment.Arm(4, 212, 197)))
                .isEqualTo("promoted version 4: accuracy 0.9292 on 212 labels");
        // 1/32 is a tie in the fifth decimal: half to even, as printf, not Java's %.4f (0.0313)
        assertThat(Experiment.fixed4(1.0 / 32)).isEqualTo("0.0312");
        assertThat(Experiment.fixed4(0.31205)).isEqualTo("0.3120"); // the double is just below 0.31205
        assertThat(Experiment.fixed4(1234.56789)).isEqualTo("1234.5679");
        assertThat(Experiment.fixed4(0)).isEqualTo("0.0000");
    }

    @Test
    void hugeSquaredErrorsAreRefusedAndTinyOnesSquareToZero() {
        assertThat(Experiment.squaredErrorSquare("f", 3)).isEqualTo(9);
        assertThat(Experiment.squaredErrorSquare("f", 1e-151)).isZero();
        assertThat(((AugurException) catchThrown(() -> Experiment.squaredErrorSquare("f", 1e151))).sqlState()).isEqualTo("22003");
        assertThat(((AugurException) catchThrown(() -> Experiment.squaredErrorSquare("f", Double.POSITIVE_INFINITY))).getMessage())
                .contains("feedback 'f'", "ROLLBACK MODEL");
    }

    @Test
    void aFeedbackOfTheOtherKindIsRefused() {
        Experiment.checkFeedback("m", Experiment.Reward.SQUARED_ERROR, "f", dev.augur.engine.feedback.LiveMetrics.Target.VALUE);
        AugurException e = (AugurException) catchThrown(() -> Experiment.checkFeedback("m", Experiment.Reward.SQUARED_ERROR, "f",
                dev.augur.engine.feedback.LiveMetrics.Target.CLASS));
        assertThat(e.sqlState()).isEqualTo("22023");
        assertThat(e.getMessage()).contains("feedback 'f'", "class labels", "squared error");
    }

    private static Throwable catchThrown(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("no error");
    }
}
