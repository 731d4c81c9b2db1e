package dev.augur.engine;

import dev.augur.engine.train.Forgetting;
import dev.augur.engine.train.TrainingOptions;
import dev.augur.engine.view.ViewOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option values are read exactly: in range and of the option's type, or 22023 naming the option and its range. */
class OptionValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property(tries = 500)
    void anIntegerOptionIsItsValueOrAnErrorNeverAWrappedValue(@ForAll long value) {
        JsonNode v = NODES.numberNode(value);
        if (value >= 1 && value <= 10_000) {
            assertThat(OptionValues.integer("epochs", v, 1, 10_000, null)).isEqualTo(value);
        } else {
            assertInvalid(() -> OptionValues.integer("epochs", v, 1, 10_000, null),
                    "option epochs must be an integer between 1 and 10000, got " + value);
        }
    }

    @Property(tries = 300)
    void trainingOptionsKeepEveryIntegerExactly(@ForAll BigInteger value) {
        String json = "{\"epochs\": " + value + "}";
        if (value.signum() > 0 && value.compareTo(BigInteger.valueOf(10_000)) <= 0) {
            assertThat(TrainingOptions.fromJson(json).epochs()).isEqualTo(value.intValue());
        } else {
            assertInvalid(() -> TrainingOptions.fromJson(json), "option epochs", "between 1 and 10000", "got " + value);
        }
    }

    @Test
    void integersBeyond32And64BitsAreOutOfRangeNotWrapped() {
        assertInvalid(() -> TrainingOptions.fromJson("{\"epochs\": 4294967297}"), "between 1 and 10000, got 4294967297");
        assertInvalid(() -> TrainingOptions.fromJson("{\"hash_bits\": 4294967298}"), "option hash_bits", "between 0 and 26",
                "got 4294967298");
        assertInvalid(() -> TrainingOptions.fromJson("{\"epochs\": 99999999999}"), "got 99999999999");
        assertInvalid(() -> TrainingOptions.fromJson("{\"seed\": 9223372036854775808}"), "option seed must be a 64-bit integer");
        assertThat(TrainingOptions.fromJson("{\"seed\": 9223372036854775807}").seed()).isEqualTo(Long.MAX_VALUE);
        assertThat(TrainingOptions.fromJson("{\"seed\": -9223372036854775808}").seed()).isEqualTo(Long.MIN_VALUE);
        // a 5,000-digit number is out of range too, shown by its first digits
        AugurException e = org.junit.jupiter.api.Assertions.assertThrows(AugurException.class,
                () -> OptionValues.integer("epochs", NODES.numberNode(new BigInteger("9".repeat(5000))), 1, 10_000, null));
        assertThat(e.getMessage()).hasSizeLessThan(200).contains("9999...");
    }

    @Test
    void integralDecimalsAreIntegersOthersAreNot() {
        assertThat(TrainingOptions.fromJson("{\"epochs\": 5.0}").epochs()).isEqualTo(5);
        assertThat(TrainingOptions.fromJson("{\"epochs\": 1e3}").epochs()).isEqualTo(1000);
        assertInvalid(() -> TrainingOptions.fromJson("{\"epochs\": 5.5}"), "integer", "got 5.5");
        assertInvalid(() -> TrainingOptions.fromJson("{\"seed\": 1.5}"), "64-bit integer", "got 1.5");
        assertInvalid(() -> TrainingOptions.fromJson("{\"seed\": 1e30}"), "64-bit integer");
        assertInvalid(() -> OptionValues.integer("epochs", NODES.numberNode(new BigDecimal("1e999999999")), 1, 10, null), "epochs");
    }

    @Test
    void textBooleansAndNullAreNotNumbers() {
        for (String bad : new String[]{"\"5\"", "\"abc\"", "true", "null", "[5]", "{\"v\": 5}"}) {
            assertInvalid(() -> TrainingOptions.fromJson("{\"epochs\": " + bad + "}"), "option epochs must be an integer", "got ");
            assertInvalid(() -> TrainingOptions.fromJson("{\"l2\": " + bad + "}"), "option l2 must be a finite number >= 0");
            assertInvalid(() -> ViewOptions.Prediction.fromJson("{\"tolerance\": " + bad + "}"), "option tolerance must be a finite number >= 0");
        }
        assertInvalid(() -> TrainingOptions.fromJson("{\"l2\": 1e999}"), "option l2 must be a finite number >= 0");
        assertInvalid(() -> TrainingOptions.fromJson("{\"learning_rate\": -0.5}"), "option learning_rate", ">= 0");
        assertThat(TrainingOptions.fromJson("{\"l2\": 0}").l2()).isZero();
    }

    @Test
    void repeatedKeysAndNonObjectsAreInvalidJson() {
        for (String bad : new String[]{"{\"epochs\": 5, \"epochs\": 6}", "[1, 2]", "5", "\"x\"", "{\"epochs\": "}) {
            assertThatThrownBy(() -> TrainingOptions.fromJson(bad)).as(bad)
                    .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_JSON));
            assertThatThrownBy(() -> ViewOptions.Prediction.fromJson(bad)).as(bad)
                    .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_JSON));
        }
        assertThatThrownBy(() -> ViewOptions.Classification.fromJson("[1]")).hasMessageContaining("view options must be a JSON object");
    }

    @Test
    void viewOptionsHaveTheirDefaultsAndRanges() throws Exception {
        assertThat(ViewOptions.Prediction.fromJson(null)).isEqualTo(new ViewOptions.Prediction("eager", 0, 1.0));
        assertThat(ViewOptions.Prediction.fromJson("{\"mode\": \"LAZY\", \"tolerance\": 0.5}"))
                .isEqualTo(new ViewOptions.Prediction("lazy", 0.5, 1.0));
        assertThat(ViewOptions.Classification.fromJson(""))
                .isEqualTo(new ViewOptions.Classification(0.5, 1e-6, 18, 10, 0.01, 1.0, 42, 0, Forgetting.NONE));
        assertThat(ViewOptions.Classification.fromObject((com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree("{\"hash_bits\": 24, \"epochs\": 0, \"seed\": -1}")).hashBits()).isEqualTo(24);
        assertInvalid(() -> ViewOptions.Prediction.fromJson("{\"mode\": 5}"), "option mode must be eager, lazy or hybrid, got 5");
        assertInvalid(() -> ViewOptions.Prediction.fromJson("{\"mode\": \"sometimes\"}"), "eager, lazy or hybrid", "\"sometimes\"");
        assertInvalid(() -> ViewOptions.Prediction.fromJson("{\"speed\": 2}"), "unknown view option 'speed'", "mode, tolerance, alpha, log_served");
        assertInvalid(() -> ViewOptions.Classification.fromJson("{\"hash_bits\": 4294967298}"), "option hash_bits",
                "integer between 1 and 24", "got 4294967298");
        assertInvalid(() -> ViewOptions.Classification.fromJson("{\"hash_bits\": 0}"), "between 1 and 24");
        assertInvalid(() -> ViewOptions.Classification.fromJson("{\"epochs\": \"ten\"}"), "option epochs", "between 0 and 10000", "\"ten\"");
        assertInvalid(() -> ViewOptions.Classification.fromJson("{\"seed\": \"x\"}"), "option seed must be a 64-bit integer");
        assertInvalid(() -> ViewOptions.Classification.fromJson("{\"alpha\": \"x\"}"), "option alpha must be a finite number >= 0");
    }

    @Test
    void forgettingTakesADecayInZeroOneOrAWindowOfWholeExamplesNeverBoth() {
        assertThat(ViewOptions.Classification.fromJson("{\"forget_decay\": 0.99}").forgetting()).isEqualTo(new Forgetting(0.99, 0));
        assertThat(ViewOptions.Classification.fromJson("{\"forget_decay\": 1}").forgetting().decays()).isFalse();
        assertThat(ViewOptions.Classification.fromJson("{\"forget_window\": 50.0}").forgetting()).isEqualTo(new Forgetting(1, 50));
        for (String decay : new String[]{"0", "-0.5", "1.5", "\"0.9\"", "true"}) {
            assertInvalid(() -> ViewOptions.Classification.fromJson("{\"forget_decay\": " + decay + "}"), "option forget_decay must be a number in (0, 1]",
                    "got " + decay);
        }
        for (String window : new String[]{"0", "-3", "2.5", "\"10\"", "1000000001"}) {
            assertInvalid(() -> ViewOptions.Classification.fromJson("{\"forget_window\": " + window + "}"),
                    "option forget_window must be an integer between 1 and 1000000000", "got " + window);
        }
        assertInvalid(() -> ViewOptions.Classification.fromJson("{\"forget_decay\": 0.9, \"forget_window\": 10}"),
                "options forget_decay and forget_window are two ways to forget: give one of them");
        assertInvalid(() -> ViewOptions.Prediction.fromJson("{\"forget_window\": 10}"),
                "option forget_window is for classification views", "CREATE CLASSIFICATION VIEW");
    }

    @Test
    void logServedIsABooleanOfEagerPredictionViewsOnly() {
        assertThat(ViewOptions.Prediction.fromJson(null).logServed()).isFalse();
        assertThat(ViewOptions.Prediction.fromJson("{\"log_served\": true}")).isEqualTo(new ViewOptions.Prediction("eager", 0, 1.0, true));
        assertThat(ViewOptions.Prediction.fromJson("{\"log_served\": false, \"mode\": \"lazy\"}").logServed()).isFalse();
        for (String bad : new String[]{"1", "0", "\"true\"", "null", "[true]"}) {
            assertInvalid(() -> ViewOptions.Prediction.fromJson("{\"log_served\": " + bad + "}"), "option log_served must be true or false",
                    "got " + bad);
        }
        for (String mode : new String[]{"lazy", "hybrid"}) {
            assertThatThrownBy(() -> ViewOptions.Prediction.fromJson("{\"log_served\": true, \"mode\": \"" + mode + "\"}"))
                    .isInstanceOfSatisfying(AugurException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo(Errors.FEATURE_NOT_SUPPORTED);
                        assertThat(e.getMessage()).contains("log_served", mode + " view computes its scores on read", "mode = eager");
                    });
        }
        // a classification view's model is not in the catalog the served log names: refused whatever the value
        for (String value : new String[]{"true", "false", "1"}) {
            assertThatThrownBy(() -> ViewOptions.Classification.fromJson("{\"log_served\": " + value + "}"))
                    .isInstanceOfSatisfying(AugurException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo(Errors.FEATURE_NOT_SUPPORTED);
                        assertThat(e.getMessage()).contains("log_served is for prediction views", "AUGUR.VIEW_MODELS");
                    });
        }
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... parts) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AugurException.class, e -> {
            assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
            assertThat(e.getMessage()).contains(parts);
        });
    }
}
