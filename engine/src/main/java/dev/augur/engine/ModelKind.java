package dev.augur.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a model predicts and how its margin becomes a score. The ids are part of the codec: never renumber. */
public enum ModelKind {
    /** Linear regression (squared loss); the score is the margin. */
    LINEAR(1, "linear", false),
    /** Binary logistic regression; the score is P(positive class). */
    LOGISTIC(2, "logistic", true),
    /** Binary linear SVM (hinge loss); the score is the logistic of the margin, uncalibrated; the label is sign(margin). */
    SVM(3, "svm", true),
    /** Multi-class softmax regression (cross-entropy); the score is the probability of the most likely class. */
    SOFTMAX(4, "softmax", true);

    private final int id;
    private final String sqlName;
    private final boolean classifier;

    ModelKind(int id, String sqlName, boolean classifier) {
        this.id = id;
        this.sqlName = sqlName;
        this.classifier = classifier;
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

    /** True for kinds whose label is the sign of one margin, which is what Hölder-bound view maintenance needs. */
    public boolean isBinary() {
        return this == LOGISTIC || this == SVM;
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
        throw Errors.invalidParameter("unknown model kind '" + name + "'; kinds: "
                + Arrays.stream(values()).map(ModelKind::sqlName).collect(Collectors.joining(", ")));
    }
}
