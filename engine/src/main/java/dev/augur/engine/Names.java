package dev.augur.engine;

import java.util.regex.Pattern;

/** Validation of user-given names that end up in SQL: models and views. */
public final class Names {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,62}");

    private Names() {
    }

    /** Checks a model name and returns its canonical (lower-case) form: model names are case-insensitive. */
    public static String checkModelName(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw Errors.invalidName("model", String.valueOf(name));
        }
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    public static boolean isIdentifier(String name) {
        return name != null && IDENTIFIER.matcher(name).matches();
    }
}
