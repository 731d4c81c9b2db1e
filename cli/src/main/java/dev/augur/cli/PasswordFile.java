package dev.augur.cli;

import dev.augur.engine.AugurException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The database password kept beside the database, {@code DIR/augur.password}: generated on the first
 * {@code augur serve} of a database (so no database is ever served without one), readable by its owner only (0600),
 * read by every command that opens that database without {@code --password}.
 */
final class PasswordFile {
    static final String NAME = "augur.password";
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int LENGTH = 24; // 24 symbols of 57: 140 bits
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PasswordFile() {
    }

    static Path of(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    /** A fresh random password: letters and digits only, so it needs no quoting in a shell, a URL or SQL. */
    static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The password in the file, or null when there is no file; refuses a file that others may read (as ssh does). */
    static String read(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> perms = posix.readAttributes().permissions();
                if (perms.stream().anyMatch(p -> !OWNER_ONLY.contains(p))) {
                    throw new AugurException("28000", file + " may be read by others (mode "
                            + PosixFilePermissions.toString(perms) + "); make it readable by its owner only: chmod 600 " + file
                            + " (and change the password if others could read it: delete the file and pass --password)");
                }
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new AugurException("28000", file + " is empty; delete it or write the database's password in it");
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a new password file, created with mode 0600 (never a moment readable by others); the folder must exist. */
    static void write(Path file, String password) {
        try {
            boolean posix = Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null;
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new AugurException("28000", file + " appeared while Augur was creating it; is another augur running on "
                    + file.getParent() + "?");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the data folder readable by its owner only (the database files in it hold all the data). */
    static void createDataDir(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Path parent = dir.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.getFileAttributeView(parent == null ? dir.getRoot() : parent, PosixFileAttributeView.class) != null) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // created meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
