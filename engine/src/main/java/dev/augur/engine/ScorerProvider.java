package dev.augur.engine;

import java.util.Optional;

/**
 * A scoring backend found through {@link java.util.ServiceLoader}. {@link #open()} must never throw for a missing
 * library, driver or device: it returns empty and says why in {@link #unavailableReason()}.
 */
public interface ScorerProvider {
    /** The backend's name, as in the {@code augur.scorer} setting. */
    String name();

    /** The backend when it can run here, else empty. */
    Optional<Scorer> open();

    /** Why {@link #open()} is empty (for {@code augur predict --explain-backend} and the log), or null when it is not. */
    String unavailableReason();

    /**
     * Whether this backend should take a batch of {@code rows × dims} values scored by {@code outputs} linear maps (the
     * classes of a softmax, the members of an ensemble): its own cost rule (a launch plus copies outweighs small batches,
     * and more outputs give the same copies more arithmetic), given whether the features already live with the backend.
     */
    boolean prefers(long rows, long dims, int outputs, boolean resident);
}
