package dev.augur.engine.train;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.SparseVector;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;

/**
 * Trains a model from rows of SQL values (inputs, then the label last) by SGD. One text input means
 * {@code bag_of_words}; otherwise every input is numeric. Dense inputs are standardized for training and the
 * scaling is folded back into the weights, so the stored model is linear in the raw inputs.
 */
public final class SgdTrainer {
    private SgdTrainer() {
    }

    /**
     * @param inputNames names of the input columns, in order
     * @param rows       each row holds the inputs followed by the label
     * @param progress   called with the number of epochs done (may be null)
     */
    public static Model train(String name, ModelKind kind, List<String> inputNames, List<Object[]> rows,
                              TrainingOptions options, IntConsumer progress) {
        String model = Names.checkModelName(name);
        if (inputNames.isEmpty()) {
            throw Errors.invalidParameter("the training query needs at least one input column before the label column");
        }
        if (rows.isEmpty()) {
            throw Errors.invalidParameter("the training query for model '" + model + "' returned no rows");
        }
        int nIn = inputNames.size();
        for (int r = 0; r < rows.size(); r++) {
            Object[] row = rows.get(r);
            for (int c = 0; c <= nIn; c++) {
                if (row[c] == null) {
                    String col = c == nIn ? "the label" : "'" + inputNames.get(c) + "'";
                    throw new AugurException("22004", "training row " + (r + 1) + " has NULL in " + col
                            + "; filter such rows in the training query (WHERE ... IS NOT NULL)");
                }
            }
        }
        if (!kind.isEnsemble() && options.members() != 0) {
            throw Errors.invalidParameter("option members trains an ensemble: use a bagged kind (" + ModelKind.ensembleNames()
                    + "), not " + kind.sqlName() + (kind.bagged() == null ? "" : "; KIND " + kind.bagged().sqlName()));
        }
        if (kind.uncertainty() != ModelKind.Uncertainty.POSTERIOR && options.prior() != 0) {
            throw Errors.invalidParameter("option prior is the prior precision of a Bayesian kind (" + names(ModelKind.Uncertainty.POSTERIOR)
                    + "), not of " + kind.sqlName());
        }
        if (kind.uncertainty() != ModelKind.Uncertainty.QUANTILES && options.level() != 0) {
            throw Errors.invalidParameter("option level is the interval level a quantile kind is trained for ("
                    + names(ModelKind.Uncertainty.QUANTILES) + "), not " + kind.sqlName());
        }
        boolean text = nIn == 1 && rows.get(0)[0] instanceof String;
        Labels labels = Labels.of(model, kind, rows, nIn);
        if (text) {
            return trainText(model, kind, inputNames.get(0), rows, labels, options, progress);
        }
        return trainDense(model, kind, inputNames, rows, labels, options, progress);
    }

    private static String names(ModelKind.Uncertainty u) {
        StringBuilder s = new StringBuilder();
        for (ModelKind k : ModelKind.values()) {
            if (k.uncertainty() == u) {
                s.append(s.isEmpty() ? "" : ", ").append(k.sqlName());
            }
        }
        return s.toString();
    }

    private static Model trainText(String model, ModelKind kind, String input, List<Object[]> rows, Labels labels,
                                   TrainingOptions o, IntConsumer progress) {
        int n = rows.size();
        String[] docs = new String[n];
        for (int i = 0; i < n; i++) {
            if (!(rows.get(i)[0] instanceof String s)) {
                throw Errors.wrongType(model, input, "text", rows.get(i)[0]);
            }
            docs[i] = s;
        }
        // document frequencies decide the vocabulary (or size the idf of the hashed buckets)
        String[] vocabulary;
        int dim;
        int[] df;
        if (o.hashBits() > 0) {
            vocabulary = new String[0];
            dim = 1 << o.hashBits();
            df = new int[dim];
            for (String doc : docs) {
                Set<Integer> seen = new HashSet<>();
                BagOfWords.forEachTerm(doc, o.ngrams(), t -> seen.add(BagOfWords.bucket(t, o.hashBits())));
                seen.forEach(b -> df[b]++);
            }
        } else {
            Map<String, int[]> counts = new HashMap<>();
            for (String doc : docs) {
                Set<String> seen = new HashSet<>();
                BagOfWords.forEachTerm(doc, o.ngrams(), seen::add);
                for (String t : seen) {
                    counts.computeIfAbsent(t, k -> new int[1])[0]++;
                }
            }
            List<Map.Entry<String, int[]>> kept = new ArrayList<>();
            for (Map.Entry<String, int[]> e : counts.entrySet()) {
                if (e.getValue()[0] >= o.minDf()) {
                    kept.add(e);
                }
            }
            kept.sort(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0]).thenComparing(Map.Entry::getKey));
            if (kept.size() > o.maxFeatures()) {
                kept = kept.subList(0, o.maxFeatures());
            }
            if (kept.isEmpty()) {
                throw Errors.invalidParameter("the training texts of model '" + model
                        + "' have no terms (after min_df " + o.minDf() + "); give it texts with letters or digits");
            }
            dim = kept.size();
            vocabulary = new String[dim];
            df = new int[dim];
            for (int i = 0; i < dim; i++) {
                vocabulary[i] = kept.get(i).getKey();
                df[i] = kept.get(i).getValue()[0];
            }
        }
        double[] idf = null;
        if (o.weighting() == BagOfWords.Weighting.TFIDF) {
            idf = new double[dim];
            for (int i = 0; i < dim; i++) {
                idf[i] = Math.log((1.0 + n) / (1.0 + df[i])) + 1.0;
            }
        }
        BagOfWords bow = new BagOfWords(input, o.weighting(), o.ngrams(), o.hashBits(), o.normalize(), vocabulary, idf);
        SparseVector[] x = new SparseVector[n];
        for (int i = 0; i < n; i++) {
            x[i] = bow.vectorize(docs[i]);
        }
        double rate = o.learningRate() > 0 ? o.learningRate() : TrainingOptions.DEFAULT_TEXT_RATE;
        if (kind.uncertainty() == ModelKind.Uncertainty.POSTERIOR) {
            // the mean by SGD with the prior as its L2 term (prior/2 ‖w‖² over n examples), the diagonal posterior around it
            double prior = o.priorOrDefault();
            TrainingOptions meanOptions = new TrainingOptions(o.epochs(), o.learningRate(), prior / n, o.seed(), o.weighting(),
                    o.ngrams(), o.hashBits(), o.minDf(), o.maxFeatures(), o.normalize(), 0);
            double[][] mean = fit(kind, dim, 1, n, meanOptions, rate, progress, (sgd, i, eta) -> sgd.step(x[i], labels.target(i), eta));
            double[] y = new double[n];
            Arrays.setAll(y, labels::target);
            double[][] map = BayesianFit.diagonal(kind.isClassifier(), x, y, mean[0], mean[1][0], prior);
            return Model.of(model, kind, bow, labels.classes(), map[0], map[1]);
        }
        if (kind.uncertainty() == ModelKind.Uncertainty.QUANTILES) {
            // the pinball loss moves a margin by the rate whatever the target's scale: fitted to the standardized target,
            // at the dense rate (a text's vector has norm 1), then scaled back
            double[] y = new double[n];
            Arrays.setAll(y, labels::target);
            double[] scale = meanAndDeviation(y);
            double quantileRate = o.learningRate() > 0 ? o.learningRate() : TrainingOptions.DEFAULT_DENSE_RATE;
            double[][] map = fit(kind, dim, labels.outputs(), n, o, quantileRate, progress,
                    (sgd, i, eta) -> sgd.step(x[i], (y[i] - scale[0]) / scale[1], eta));
            unstandardizeTarget(kind, map[0], map[1], dim, scale[0], scale[1]);
            return Model.of(model, kind, bow, labels.classes(), map[0], map[1]);
        }
        double[][] map = fit(kind, dim, labels.outputs(), n, o, rate, progress, (sgd, i, eta) -> sgd.step(x[i], labels.target(i), eta));
        return Model.of(model, kind, bow, labels.classes(), map[0], map[1]);
    }

    private static Model trainDense(String model, ModelKind kind, List<String> inputs, List<Object[]> rows, Labels labels,
                                    TrainingOptions o, IntConsumer progress) {
        int n = rows.size();
        int d = inputs.size();
        double[][] x = new double[n][d];
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int i = 0; i < n; i++) {
            Object[] row = rows.get(i);
            for (int j = 0; j < d; j++) {
                double val = DenseFeatures.number(model, inputs.get(j), row[j], "a number (one text column alone means bag_of_words)");
                x[i][j] = val;
                mean[j] += val;
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                double c = row[j] - mean[j];
                std[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (std[j] < 1e-12) {
                std[j] = 1;
            }
        }
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (row[j] - mean[j]) / std[j];
            }
        }
        // the regression target is standardized too, so one learning rate fits any scale
        boolean regression = !kind.isClassifier();
        double yMean = 0;
        double yStd = 1;
        if (regression) {
            for (int i = 0; i < n; i++) {
                yMean += labels.target(i);
            }
            yMean /= n;
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += Math.pow(labels.target(i) - yMean, 2);
            }
            yStd = Math.sqrt(ss / n);
            if (yStd < 1e-12) {
                yStd = 1;
            }
        }
        double ym = yMean;
        double ys = yStd;
        double rate = o.learningRate() > 0 ? o.learningRate() : TrainingOptions.DEFAULT_DENSE_RATE;
        double[][] map;
        if (kind.uncertainty() == ModelKind.Uncertainty.POSTERIOR) {
            double[] y = new double[n];
            Arrays.setAll(y, i -> regression ? (labels.target(i) - ym) / ys : labels.target(i));
            map = regression ? BayesianFit.denseLinear(model, x, y, o.priorOrDefault())
                    : BayesianFit.denseLogistic(model, x, y, o.priorOrDefault());
            if (progress != null) {
                progress.accept(o.epochs());
            }
        } else {
            map = fit(kind, d, labels.outputs(), n, o, rate, progress, (sgd, i, eta) -> sgd.step(x[i],
                    regression ? (labels.target(i) - ym) / ys : labels.target(i), eta));
        }
        double[] w = map[0];
        double[] b = map[1];
        int outputs = b.length;
        // every row is affine in the standardized inputs (a constant row has no weights): fold the scaling back
        for (int out = 0; out < outputs; out++) {
            for (int j = 0; j < d; j++) {
                w[out * d + j] /= std[j];
                b[out] -= w[out * d + j] * mean[j];
            }
        }
        if (regression) {
            unstandardizeTarget(kind, w, b, d, yMean, yStd);
        }
        return Model.of(model, kind, new DenseFeatures(inputs), labels.classes(), w, b);
    }

    /**
     * How a regressor's row scales with the standardized target: a prediction (the mean, a quantile) is y's scale and
     * offset, a deviation (a covariance factor row, the noise) its scale only, a constant (a quantile model's level) neither.
     */
    private enum RowScale {
        PREDICTION, DEVIATION, NONE
    }

    /** Rows fitted to (y − mean) / deviation, scaled back to y row by row ({@link RowScale}). */
    private static void unstandardizeTarget(ModelKind kind, double[] w, double[] b, int d, double yMean, double yStd) {
        for (int out = 0; out < b.length; out++) {
            RowScale role = rowScale(kind, out);
            if (role == RowScale.NONE) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                w[out * d + j] *= yStd;
            }
            b[out] = role == RowScale.PREDICTION ? b[out] * yStd + yMean : b[out] * yStd;
        }
    }

    /** {mean, population deviation} of values (a deviation below 1e-12 is 1: a constant needs no scaling). */
    private static double[] meanAndDeviation(double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v;
        }
        mean /= y.length;
        double ss = 0;
        for (double v : y) {
            ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / y.length);
        return new double[]{mean, sd < 1e-12 ? 1 : sd};
    }

    private static RowScale rowScale(ModelKind kind, int row) {
        return switch (kind.uncertainty()) {
            case NONE, MEMBERS -> RowScale.PREDICTION;
            case POSTERIOR -> row == 0 ? RowScale.PREDICTION : RowScale.DEVIATION;
            case QUANTILES -> row < ModelKind.QUANTILE_ROWS - 1 ? RowScale.PREDICTION : RowScale.NONE;
        };
    }

    /** One SGD step of {@code sgd} on example {@code example} (0-based) at rate {@code eta}. */
    public interface Step {
        void run(LinearSgd sgd, int example, double eta);
    }

    /**
     * Trains the linear map of {@code kind} over examples 0..n-1 (features extracted once by the caller): one, or for a
     * bagged kind one per member, each on a bootstrap sample of n examples drawn with replacement, the members' samples
     * and shuffles seeded from the seed option. Returns the weights and the bias, row by row (member by member).
     */
    private static double[][] fit(ModelKind kind, int dim, int outputs, int n, TrainingOptions o, double rate,
                                  IntConsumer progress, Step step) {
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        if (kind.uncertainty() == ModelKind.Uncertainty.QUANTILES) {
            // median, lower and upper quantiles in one pass over the same shuffles; the level row after them (weights 0)
            double level = o.levelOrDefault();
            LinearSgd sgd = LinearSgd.quantiles(dim, o.l2(), 0.5, (1 - level) / 2, (1 + level) / 2);
            // the pinball loss's subgradient never vanishes, so the last iterate jitters around the quantile by about the
            // step: the mean of the iterates at the ends of the later half of the epochs is kept instead
            int quantileRows = ModelKind.QUANTILE_ROWS - 1;
            double[] w = new double[ModelKind.QUANTILE_ROWS * dim];
            double[] b = new double[ModelKind.QUANTILE_ROWS];
            int from = o.epochs() / 2;
            int[] kept = new int[1];
            runEpochs(all, new Random(o.seed()), o.epochs(), rate, e -> {
                if (e > from) {
                    double[] sw = sgd.weights();
                    double[] sb = sgd.bias();
                    for (int i = 0; i < sw.length; i++) {
                        w[i] += sw[i];
                    }
                    for (int i = 0; i < quantileRows; i++) {
                        b[i] += sb[i];
                    }
                    kept[0]++;
                }
                if (progress != null) {
                    progress.accept(e);
                }
            }, (i, eta) -> step.run(sgd, i, eta));
            for (int i = 0; i < quantileRows * dim; i++) {
                w[i] /= kept[0];
            }
            for (int i = 0; i < quantileRows; i++) {
                b[i] /= kept[0];
            }
            b[ModelKind.QUANTILE_ROWS - 1] = level;
            return new double[][]{w, b};
        }
        if (!kind.isEnsemble()) {
            LinearSgd sgd = new LinearSgd(kind, dim, outputs, o.l2());
            runEpochs(all, new Random(o.seed()), o.epochs(), rate, progress, (i, eta) -> step.run(sgd, i, eta));
            return new double[][]{sgd.weights(), sgd.bias()};
        }
        int members = o.members() == 0 ? TrainingOptions.DEFAULT_MEMBERS : o.members();
        return bagged(kind, dim, n, members, o.seed(), o.epochs(), rate, o.l2(), progress, step);
    }

    /**
     * A bagged kind's members over examples 0..n-1: member k trains on its bootstrap sample of n examples drawn with
     * replacement by {@code new Random(seeds.nextLong())} (seeds = {@code new Random(seed)}), whose generator then
     * shuffles its epochs. Returns the weights (members × dim) and the bias (members). Used by TRAIN and by the initial
     * training of a classification view of an ensemble.
     */
    public static double[][] bagged(ModelKind kind, int dim, int n, int members, long seed, int epochs, double rate, double l2,
                                    IntConsumer progress, Step step) {
        double[] w = new double[members * dim];
        double[] b = new double[members];
        Random seeds = new Random(seed);
        for (int k = 0; k < members; k++) {
            Random random = new Random(seeds.nextLong());
            int[] sample = new int[n];
            for (int i = 0; i < n; i++) {
                sample[i] = random.nextInt(n);
            }
            LinearSgd sgd = new LinearSgd(kind.member(), dim, 1, l2);
            int done = k;
            runEpochs(sample, random, epochs, rate,
                    progress == null ? null : e -> progress.accept((int) (((long) done * epochs + e) / members)),
                    (i, eta) -> step.run(sgd, i, eta));
            System.arraycopy(sgd.weights(), 0, w, k * dim, dim);
            b[k] = sgd.bias()[0];
        }
        return new double[][]{w, b};
    }

    private interface EpochStep {
        void run(int example, double eta);
    }

    /** Shuffled epochs over {@code examples} with the rate decaying as eta0 / sqrt(1 + epoch). */
    private static void runEpochs(int[] examples, Random random, int epochs, double rate, IntConsumer progress, EpochStep step) {
        int[] order = examples.clone();
        int n = order.length;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double eta = rate / Math.sqrt(1.0 + epoch);
            for (int i : order) {
                step.run(i, eta);
            }
            if (progress != null) {
                progress.accept(epoch + 1);
            }
        }
    }

    /** Label values mapped to targets: the value (linear) or a class index into sorted classes. */
    record Labels(ModelKind kind, List<String> classes, double[] targets) {
        /**
         * One margin for regression and binary kinds; one per class for softmax, also with only 2 classes (what SGD fits;
         * the Bayesian and quantile kinds size their own rows).
         */
        int outputs() {
            return kind.member().outputCount(classes.size(), 0, true);
        }

        double target(int i) {
            return targets[i];
        }

        static Labels of(String model, ModelKind kind, List<Object[]> rows, int labelColumn) {
            int n = rows.size();
            double[] t = new double[n];
            if (!kind.isClassifier()) {
                for (int i = 0; i < n; i++) {
                    Object v = rows.get(i)[labelColumn];
                    if (!(v instanceof Number num) || !Double.isFinite(num.doubleValue())) {
                        throw Errors.invalidParameter("linear model '" + model + "' needs a finite numeric label, row "
                                + (i + 1) + " has " + v);
                    }
                    t[i] = num.doubleValue();
                }
                return new Labels(kind, List.of(), t);
            }
            String[] text = new String[n];
            boolean numeric = true;
            for (int i = 0; i < n; i++) {
                Object v = rows.get(i)[labelColumn];
                if (v instanceof Number num && !Double.isFinite(num.doubleValue())) {
                    throw Errors.invalidParameter("model '" + model + "' training row " + (i + 1) + " has the label "
                            + v + "; class labels must be finite numbers or text");
                }
                text[i] = labelText(v);
                numeric &= v instanceof Number;
            }
            Comparator<String> order = numeric ? Comparator.comparing(BigDecimal::new) : Comparator.naturalOrder();
            TreeSet<String> distinct = new TreeSet<>(order);
            distinct.addAll(Arrays.asList(text));
            List<String> classes = new ArrayList<>(distinct);
            if (classes.size() < 2) {
                throw Errors.invalidParameter("model '" + model + "' needs examples of at least 2 classes, the training query has only "
                        + classes);
            }
            if (kind.isBinary() && classes.size() != 2) {
                throw Errors.invalidParameter(kind.sqlName() + " model '" + model + "' is binary but the labels have "
                        + classes.size() + " classes " + abbreviate(classes) + "; use KIND softmax");
            }
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                index.put(classes.get(c), c);
            }
            for (int i = 0; i < n; i++) {
                t[i] = index.get(text[i]);
            }
            return new Labels(kind, classes, t);
        }

        private static String abbreviate(List<String> classes) {
            return classes.size() <= 10 ? classes.toString() : classes.subList(0, 10) + "...";
        }
    }

    /** The text form of a label: integral numbers without a fraction, so 1, 1.0 and 1L are the same class. */
    public static String labelText(Object v) {
        if (v instanceof Number num && Double.isFinite(num.doubleValue())) {
            BigDecimal d = new BigDecimal(num.toString()).stripTrailingZeros();
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        return String.valueOf(v);
    }
}
