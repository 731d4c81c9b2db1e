package dev.augur.sql;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The folder IMPORT MODEL reads from: the import base the driver or DataSource was given (connection property
 * {@code augur.importBase}; the migrations folder for migrations and {@code augur serve}), else the working
 * directory. A path is resolved against it, and what it names (after {@code ..} and symbolic links) must lie inside
 * it: an absolute path or a {@code ..} that leads out is SQLSTATE 42501 (insufficient privilege), whether the file
 * exists or not. Errors name the path as given and the folder, never what a file holds.
 */
final class ImportFolder {
    private ImportFolder() {
    }

    /** The text of the file {@code given} names inside the import folder {@code base} (null: the working directory). */
    static String read(String given, Path base) {
        Path folder = (base == null ? Path.of("") : base).toAbsolutePath().normalize();
        Path file;
        try {
            file = Path.of(given);
        } catch (InvalidPathException e) {
            throw Errors.invalidParameter("IMPORT MODEL path '" + printable(given) + "' is not a valid file path: " + e.getReason());
        }
        Path realFolder;
        try {
            realFolder = folder.toRealPath();
        } catch (IOException e) {
            throw new AugurException(Errors.IO_ERROR, "the import folder " + folder + " cannot be read (" + reason(e)
                    + "); give the driver an existing folder (augur.importBase)");
        }
        Path target = folder.resolve(file).normalize();
        if (!target.startsWith(folder)) {
            throw outside(given, realFolder);
        }
        Path real;
        try {
            real = target.toRealPath();
        } catch (NoSuchFileException e) {
            throw new AugurException(Errors.IO_ERROR, "model file '" + printable(given) + "' does not exist in the import folder "
                    + realFolder + " (relative paths are resolved against it)");
        } catch (IOException e) {
            throw new AugurException(Errors.IO_ERROR, "cannot read model file '" + printable(given) + "' in the import folder "
                    + realFolder + " (" + reason(e) + ")");
        }
        if (!real.startsWith(realFolder)) {
            // a symbolic link inside the folder that leads out of it
            throw outside(given, realFolder);
        }
        if (!Files.isRegularFile(real)) {
            throw new AugurException(Errors.IO_ERROR, "model file '" + printable(given) + "' in the import folder " + realFolder
                    + " is not a file (a folder or a device); name a .json model file");
        }
        try {
            return Files.readString(real, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw Errors.malformedJson("model file '" + printable(given) + "' is not UTF-8 text");
        } catch (IOException e) {
            throw new AugurException(Errors.IO_ERROR, "cannot read model file '" + printable(given) + "' in the import folder "
                    + realFolder + " (" + reason(e) + ")");
        }
    }

    private static AugurException outside(String given, Path folder) {
        return new AugurException(Errors.INSUFFICIENT_PRIVILEGE, "model file '" + printable(given) + "' is outside the import folder "
                + folder + ": IMPORT MODEL reads files inside that folder only (give a path relative to it, without .. leading out)");
    }

    /** The kind of I/O failure, without the exception's message (which may carry more than a path). */
    private static String reason(IOException e) {
        return e.getClass().getSimpleName().replaceAll("Exception$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    }

    /** A path as given, for messages: control characters and lone surrogates shown as '?', long paths cut. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        for (; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                b.append('?');
            } else {
                b.append(c);
            }
        }
        return i < s.length() ? b + "..." : b.toString();
    }
}
