package dev.augur.engine.codec;

import dev.augur.engine.model.Model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decoded models shared by every connection of a process, keyed by (name, version, sha256): a key never
 * changes meaning, so entries never need invalidation, only eviction (least recently used, by total weights).
 */
public final class ModelCache {
    private static final long MAX_WEIGHTS = 64L << 20; // 64 M doubles = 512 MB at most
    private static final Map<Key, Model> MODELS = new LinkedHashMap<>(16, 0.75f, true);
    private static long weights;

    private record Key(String name, int version, String sha256) {
    }

    private ModelCache() {
    }

    /** The cached model, or the one {@code loader} decodes (outside the lock, so slow loads never block hits). */
    public static Model get(String name, int version, String sha256, Supplier<Model> loader) {
        Key key = new Key(name, version, sha256.toLowerCase());
        synchronized (MODELS) {
            Model m = MODELS.get(key);
            if (m != null) {
                return m;
            }
        }
        Model loaded = loader.get();
        synchronized (MODELS) {
            Model raced = MODELS.putIfAbsent(key, loaded);
            if (raced != null) {
                return raced;
            }
            weights += loaded.parameterCount();
            var it = MODELS.entrySet().iterator();
            while (weights > MAX_WEIGHTS && MODELS.size() > 1 && it.hasNext()) {
                Map.Entry<Key, Model> eldest = it.next();
                if (eldest.getKey().equals(key)) {
                    continue;
                }
                weights -= eldest.getValue().parameterCount();
                it.remove();
            }
        }
        return loaded;
    }

    /** Number of cached models (for statistics and tests). */
    public static int size() {
        synchronized (MODELS) {
            return MODELS.size();
        }
    }
}
