package dev.augur.engine.view;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class MarginOrderTest {
    /** The radix order is the stable sort by {@link Double#compare}: the order resort() had with TimSort. */
    @Property
    void isTheStableOrderOfDoubleCompare(@ForAll @Size(max = 300) List<Double> list) {
        double[] v = list.stream().mapToDouble(Double::doubleValue).toArray();
        Integer[] expected = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(expected, (a, b) -> Double.compare(v[a], v[b]));
        assertThat(MarginOrder.ascending(v)).containsExactly(Arrays.stream(expected).mapToInt(Integer::intValue).toArray());
    }

    @Test
    void specialValuesAndTies() {
        double[] v = {0.0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 1e-300, -1e-300, Double.POSITIVE_INFINITY, 0.0, Double.MIN_VALUE};
        assertThat(MarginOrder.ascending(v)).containsExactly(3, 5, 1, 0, 7, 8, 4, 6, 2);
        assertThat(MarginOrder.ascending(new double[0])).isEmpty();
        assertThat(MarginOrder.ascending(new double[]{5})).containsExactly(0);
    }
}
