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
            toLoser += Experiment.route(Experiment.Strategy.BANDIT, arms, DEFAULTS, "k" + i) == 1 ? 1 : 0;
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
            toSecond += Experiment.route(Experiment.Strategy.BANDIT, arms, DEFAULTS, "key " + i) == 1 ? 1 : 0;
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
        int a = Experiment.route(s, arms, DEFAULTS, key);
        assertThat(a).isBetween(0, k - 1);
        assertThat(Experiment.route(s, List.copyOf(arms), Experiment.Options.fromJson("{\"floor\": 0.1, \"seed\": 1}"), key)).isEqualTo(a);
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

    private static Throwable catchThrown(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("no error");
    }
}
