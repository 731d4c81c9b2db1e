package dev.augur.engine.model;

import dev.augur.engine.Errors;
import dev.augur.engine.features.Features;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Linear regression: the score is the margin; no labels, no classes. */
final class LinearRegression extends Model {
    LinearRegression(String name, Features features, List<String> classes, double[] weights, double[] bias) {
        super(name, features, classes, weights, bias);
    }

    @Override
    public ModelKind kind() {
        return ModelKind.LINEAR;
    }

    @Override
    public Set<Output> outputsSupported() {
        return EnumSet.of(Output.SCORE);
    }

    @Override
    public double score(double[] x) {
        return margin(x);
    }

    @Override
    double scoreOf(double[] margins) {
        return margins[0];
    }

    @Override
    String labelOf(double[] margins) {
        throw Errors.invalidParameter("model '" + name() + "' is a linear regression model and has no labels; use PREDICT for its value");
    }

    @Override
    double probabilityOf(String clazz, double[] margins) {
        throw Errors.invalidParameter("model '" + name() + "' is a linear regression model and has no classes; use PREDICT for its value");
    }

    @Override
    public ViewBound viewBound() {
        return ViewBound.HOLDER_ON_MARGIN;
    }


    @Override
    public double scoreOfMargin(double margin) {
        return margin;
    }

    @Override
    public String labelOfMargin(double margin) {
        return null;
    }

    @Override
    public Optional<String> sqlScore(List<String> inputs, SqlDialect dialect) {
        return sqlMargin(inputs, dialect).map(m -> kind().link().sqlScoreOf(m, dialect));
    }
}
