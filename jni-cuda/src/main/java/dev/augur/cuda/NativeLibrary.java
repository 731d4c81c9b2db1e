package dev.augur.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds, extracts and loads {@code libaugurcuda.so}, then asks it whether device 0 can run its kernels. Nothing here
 * throws: every failure (no library in the jar, another platform, a load error, no driver, no device) ends as a
 * {@link Status} with the reason, and Augur scores on the CPU.
 *
 * <p>The library comes from {@code -Daugur.cuda.library=/path/libaugurcuda.so} when set, else from the jar's
 * {@code native/linux-x86_64/}, extracted once to {@code ~/.cache/augur/native/<version>-<sha256 prefix>/} (or
 * {@code -Daugur.cuda.cache=DIR}): a folder per build, so versions never overwrite each other, and a file verified by
 * its hash before reuse.
 */
final class NativeLibrary {
    static final String RESOURCE = "/native/linux-x86_64/libaugurcuda.so";
    static final String LIBRARY_PROPERTY = "augur.cuda.library";
    static final String CACHE_PROPERTY = "augur.cuda.cache";

    /**
     * What loading found.
     *
     * @param loaded  the library is loaded (its host-only functions work even without a device)
     * @param reason  why there is no usable device, or null when there is one
     * @param library the library's path, or null when none was found
     * @param device  device 0 in words, or null
     */
    record Status(boolean loaded, String reason, Path library, String device) {
        boolean ready() {
            return loaded && reason == null;
        }
    }

    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private static final class Holder {
        static final Status STATUS = loadQuietly();
    }

    private NativeLibrary() {
    }

    /** The process's status, loaded on first use. */
    static Status status() {
        return Holder.STATUS;
    }

    /** Prints {@code augur: <message>} on stderr the first time any caller asks; later calls print nothing. */
    static void logOnce(String message) {
        if (LOGGED.compareAndSet(false, true)) {
            System.err.println("augur: " + message);
        }
    }

    private static Status loadQuietly() {
        try {
            return load(System.getProperty(LIBRARY_PROPERTY), cacheRoot());
        } catch (Throwable t) { // never an exception at class loading: the CPU is always there
            return new Status(false, "loading the CUDA library failed: " + t, null, null);
        }
    }

    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "augur", "native");
    }

    /** Loads the library named by {@code override}, or the jar's copy extracted under {@code cacheRoot}. */
    static Status load(String override, Path cacheRoot) {
        Path library;
        if (override != null && !override.isBlank()) {
            library = Path.of(override).toAbsolutePath();
            if (!Files.isRegularFile(library)) {
                return new Status(false, LIBRARY_PROPERTY + "=" + override + " is not a file", null, null);
            }
        } else {
            if (!isLinuxX64()) {
                return new Status(false, "no CUDA library for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                        + " (only linux-x86_64 is built)", null, null);
            }
            if (NativeLibrary.class.getResource(RESOURCE) == null) {
                return new Status(false, "this build has no CUDA library (nvcc was not found when jni-cuda was built); set "
                        + LIBRARY_PROPERTY + " to use one", null, null);
            }
            try {
                library = extract(cacheRoot);
            } catch (IOException | RuntimeException e) {
                try { // an unwritable home: a private temporary folder still works
                    Path tmp = Files.createTempDirectory("augur-native");
                    tmp.toFile().deleteOnExit();
                    library = extract(tmp);
                    library.toFile().deleteOnExit();
                    library.getParent().toFile().deleteOnExit();
                } catch (IOException | RuntimeException again) {
                    return new Status(false, "could not extract the CUDA library under " + cacheRoot + " (" + e
                            + ") nor under a temporary folder (" + again + ")", null, null);
                }
            }
        }
        try {
            System.load(library.toString());
        } catch (Throwable t) {
            return new Status(false, "the CUDA library " + library + " did not load: " + t, library, null);
        }
        try {
            String why = Native.probe();
            if (why != null) {
                return new Status(true, "no CUDA device: " + why, library, null);
            }
            return new Status(true, null, library, Native.deviceInfo());
        } catch (Throwable t) {
            return new Status(true, "the CUDA library " + library + " failed its probe: " + t, library, null);
        }
    }

    static boolean isLinuxX64() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /** This build's version, from the filtered build.properties ({@code dev} when run from unfiltered sources). */
    static String version() {
        try (InputStream in = NativeLibrary.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (IOException ignored) {
            // the version only names a folder
        }
        return "dev";
    }

    /**
     * The jar's library under {@code cacheRoot/<version>-<sha256 prefix>/}: reused when a file there has the same hash,
     * else written to a temporary file and moved into place, so that concurrent JVMs never see half a library.
     */
    static Path extract(Path cacheRoot) throws IOException {
        byte[] bytes;
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("no " + RESOURCE + " on the class path");
            }
            bytes = in.readAllBytes();
        }
        String sha = sha256(bytes);
        Path dir = cacheRoot.resolve(version() + "-" + sha.substring(0, 16));
        Path target = dir.resolve("libaugurcuda.so");
        if (Files.isRegularFile(target) && sha256(Files.readAllBytes(target)).equals(sha)) {
            return target;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "libaugurcuda", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
