package dev.augur.engine.calibration;

import dev.augur.engine.Errors;
import dev.augur.engine.OptionValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/** How a calibration groups its nonconformity scores. */
public enum Method {
    /** Split conformal: one pool of scores, one quantile for every class (or for a regressor's residuals). */
    SPLIT("split"),
    /**
     * Class-conditional (Mondrian) split conformal: the scores of each true class apart, one quantile per class, so
     * that the guarantee holds for every class on its own (a rare class is not covered at the expense of a common one).
     */
    MONDRIAN("mondrian"),
    /**
     * Normalized split conformal for regressors with a spread (bagged ensembles): each residual divided by the row's
     * spread plus the calibration rows' median spread (so that no row divides by 0), one pool; an interval is
     * ŷ ± q̂ (σ + that median), wide where the members disagree and narrow where they agree.
     */
    NORMALIZED("normalized"),
    /**
     * Conformalized quantile regression (CQR) for quantile models: the score of a row is max(lo − y, y − hi), how far
     * the true value falls outside the trained interval (negative inside), one pool; an interval is [lo − q̂, hi + q̂] at
     * any level. Split calibration of a quantile model is this method.
     */
    CQR("cqr");

    private final String sqlName;

    Method(String sqlName) {
        this.sqlName = sqlName;
    }

    /** The name SQL uses: {@code split}, {@code mondrian}, {@code normalized}, {@code cqr} (CALIBRATE_MODEL's option, AUGUR.MODELS' column). */
    public String sqlName() {
        return sqlName;
    }

    /** CALIBRATE_MODEL's options keys. */
    public static final List<String> OPTION_KEYS = List.of("method");

    /** The method of CALIBRATE_MODEL's options JSON ({@code {"method": "mondrian"}}; NULL or {} is split). */
    public static Method fromOptions(String json) {
        return fromObject(OptionValues.parse(json, "calibration options", "{\"method\": \"mondrian\"}"));
    }

    /** The method of parsed options (CALIBRATE MODEL's WITH (...) checks them with this, as the function does). */
    public static Method fromObject(ObjectNode o) {
        OptionValues.checkKeys(o, "calibration option", OPTION_KEYS);
        JsonNode m = o.get("method");
        return m == null ? SPLIT : fromSqlName(OptionValues.word("method", m, List.of("split", "mondrian", "normalized", "cqr")));
    }

    public static Method fromSqlName(String name) {
        for (Method m : values()) {
            if (m.sqlName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw Errors.invalidParameter("unknown calibration method '" + name + "'; methods: split, mondrian, normalized, cqr");
    }
}
