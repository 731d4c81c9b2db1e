package dev.augur.cuda;

import dev.augur.engine.CpuScorer;
import dev.augur.engine.Scorer;
import dev.augur.engine.ScorerProvider;
import dev.augur.engine.Scorers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine finds this backend and, where it cannot run, chooses the CPU and says why. */
class ScorerChoiceTest {
    private final String savedSetting = System.getProperty("augur.scorer");

    @AfterEach
    void restoreSetting() {
        if (savedSetting == null) {
            System.clearProperty("augur.scorer");
        } else {
            System.setProperty("augur.scorer", savedSetting);
        }
    }

    @Test
    void theProviderIsFoundThroughServiceLoader() {
        assertThat(ServiceLoader.load(ScorerProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(CudaScorerProvider.class);
    }

    @Test
    void openNeverThrowsAndAnswersWithTheLibrarysStatus() {
        CudaScorerProvider provider = new CudaScorerProvider();
        Optional<Scorer> scorer = provider.open();
        NativeLibrary.Status status = NativeLibrary.status();
        assertThat(scorer.isPresent()).isEqualTo(status.ready());
        assertThat(provider.unavailableReason()).isEqualTo(status.reason());
        if (status.ready()) {
            assertThat(scorer.get().name()).isEqualTo("cuda");
        } else {
            assertThat(provider.unavailableReason()).isNotBlank();
        }
    }

    @Test
    void withoutADeviceEvenTheCudaSettingGetsTheCpuAndExplainSaysWhy() {
        NativeLibrary.Status status = NativeLibrary.status();
        System.setProperty("augur.scorer", "cuda");
        Scorer chosen = Scorers.choose(10_000_000, 128, 1, true);
        List<String> explained = Scorers.explain();
        if (status.ready()) {
            assertThat(chosen.name()).isEqualTo("cuda");
            assertThat(explained).contains("cuda: available", "a 1,000,000 x 128 resident batch runs on: cuda");
        } else {
            assertThat(chosen).isSameAs(CpuScorer.INSTANCE);
            assertThat(explained).contains("setting augur.scorer = cuda", "cuda: unavailable: " + status.reason(),
                    "a 1,000,000 x 128 resident batch runs on: cpu");
        }
        System.setProperty("augur.scorer", "auto");
        assertThat(Scorers.choose(1, 128, 1, true)).as("one row stays on the CPU").isSameAs(CpuScorer.INSTANCE);
        assertThat(Scorers.choose(10_000_000, 128, 1, true).name()).isEqualTo(status.ready() ? "cuda" : "cpu");
        System.setProperty("augur.scorer", "cpu");
        assertThat(Scorers.choose(10_000_000, 128, 1, true)).isSameAs(CpuScorer.INSTANCE);
    }

    @ParameterizedTest
    @CsvSource({
            // rows, dims, outputs, resident, prefers
            "1, 128, 1, true, false",
            "8191, 128, 1, true, false",
            "8192, 128, 1, true, true",        // 2^20 values resident
            "1048576, 1, 1, true, true",
            "0, 128, 1, true, false",
            "100000000, 128, 1, false, false", // host features, one output: PCIe costs more than the CPU's pass
            "131072, 128, 4, false, true",     // 2^24 values, 4 outputs
            "131071, 128, 4, false, false",
            "131072, 128, 3, false, false",
            "1000000, 50, 20, false, true",    // a 20-member ensemble re-scoring a 1M-row view of 50 features
            "1000000, 50, 1, false, false",    // the same view under one model stays on the CPU
            "9223372036854775807, 9223372036854775807, 1, true, true"})
    void theCostRule(long rows, long dims, int outputs, boolean resident, boolean prefers) {
        assertThat(new CudaScorerProvider().prefers(rows, dims, outputs, resident)).isEqualTo(prefers);
    }
}
