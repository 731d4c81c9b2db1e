package dev.augur.engine.model;

import dev.augur.engine.Errors;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of model: each is one subclass of {@link Model} (see {@link Model#of}). The ids are part of the codec:
 * never renumber. Every switch on a kind is a switch expression without a default, so a new kind fails to compile
 * wherever it must be handled.
 */
public enum ModelKind {
    /** Linear regression (squared loss); the score is the margin. */
    LINEAR(1, "linear", false, false),
    /** Binary logistic regression; the score is P(positive class). */
    LOGISTIC(2, "logistic", true, true),
    /** Binary linear SVM (hinge loss); the score is the logistic of the margin, uncalibrated; the label is sign(margin). */
    SVM(3, "svm", true, true),
    /** Multi-class softmax regression (cross-entropy); the score is the probability of the most likely class. */
    SOFTMAX(4, "softmax", true, false);

    private final int id;
    private final String sqlName;
    private final boolean classifier;
    private final boolean binary;

    ModelKind(int id, String sqlName, boolean classifier, boolean binary) {
        this.id = id;
        this.sqlName = sqlName;
        this.classifier = classifier;
        this.binary = binary;
    }

    public int id() {
        return id;
    }

    /** The name used in SQL and JSON ({@code logistic}). */
    public String sqlName() {
        return sqlName;
    }

    public boolean isClassifier() {
        return classifier;
    }

    /** True for kinds whose label is the sign of one margin over exactly two classes. */
    public boolean isBinary() {
        return binary;
    }

    /** The number of margins a model of this kind has over {@code classes}, which are checked for the kind. */
    int outputsFor(List<String> classes) {
        return switch (this) {
            case LINEAR -> {
                if (!classes.isEmpty()) {
                    throw Errors.invalidParameter("a linear regression model has no classes, got " + classes);
                }
                yield 1;
            }
            case LOGISTIC, SVM -> {
                if (classes.size() != 2) {
                    throw Errors.invalidParameter("a " + sqlName + " model needs exactly 2 classes, got " + classes);
                }
                yield 1;
            }
            case SOFTMAX -> {
                if (classes.size() < 2) {
                    throw Errors.invalidParameter("a softmax model needs at least 2 classes, got " + classes);
                }
                if (classes.stream().distinct().count() != classes.size()) {
                    throw Errors.invalidParameter("softmax classes must be distinct, got " + classes);
                }
                yield classes.size();
            }
        };
    }

    /** The number of margins over {@code classes} labels, unchecked (to size what a reader parses before the model). */
    public int outputCount(int classes) {
        return switch (this) {
            case LINEAR, LOGISTIC, SVM -> 1;
            case SOFTMAX -> classes;
        };
    }

    /** The classes a model file may leave out: "0" and "1" for binary kinds, none otherwise. */
    public List<String> defaultClasses() {
        return binary ? List.of("0", "1") : List.of();
    }

    public static ModelKind fromId(int id) {
        for (ModelKind k : values()) {
            if (k.id == id) {
                return k;
            }
        }
        throw Errors.corruptPayload("unknown model kind id " + id);
    }

    public static ModelKind fromSqlName(String name) {
        if (name != null) {
            String lower = name.trim().toLowerCase(Locale.ROOT);
            for (ModelKind k : values()) {
                if (k.sqlName.equals(lower)) {
                    return k;
                }
            }
        }
        throw Errors.invalidParameter("unknown model kind '" + name + "'; kinds: " + names());
    }

    /** The kinds' names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(ModelKind::sqlName).collect(Collectors.joining(", "));
    }
}
