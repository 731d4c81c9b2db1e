package dev.augur.engine.model;

import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.SparseVector;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * PREDICT_EXPLAIN: the k features that contribute most (by |weight × value|) to the margin of the predicted
 * output, as JSON: {@code {"model": "spam", "score": 0.98, "label": "1", "bias": -0.3,
 * "contributions": [{"feature": "viagra", "value": 0.21, "weight": 4.2, "contribution": 0.88}, ...]}}.
 */
public final class Explanations {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Explanations() {
    }

    /** One term of a linear margin. */
    public record Contribution(String feature, double value, double weight) {
        public double contribution() {
            return value * weight;
        }
    }

    /** Returns null when any input is NULL, like every PREDICT function. */
    public static String explain(Model model, int version, int k, Object... inputs) {
        if (k < 1) {
            throw Errors.invalidParameter("PREDICT_EXPLAIN needs k >= 1 (the number of contributions to list), got " + k);
        }
        Evaluation eval = model.evaluate(inputs);
        if (eval == null) {
            return null;
        }
        int output = 0;
        String label = null;
        if (model.kind().isEnsemble()) {
            // the members' mean margin, a linear map too: the mean weights explain it
            output = MEAN_OF_MEMBERS;
        }
        if (model.outputsSupported().contains(Model.Output.LABEL)) {
            label = eval.label();
            if (model.kind().link() == ModelKind.Link.SOFTMAX) {
                // one margin per class: the predicted class's margin is the one to explain
                output = model.classes().indexOf(label);
            }
        }
        List<Contribution> all = contributions(model, output, inputs);
        all.sort(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.contribution())).thenComparing(Contribution::feature));
        ObjectNode root = MAPPER.createObjectNode();
        root.put("model", model.name());
        root.put("version", version);
        root.put("score", eval.score());
        if (label != null) {
            root.put("label", label);
        }
        root.put("bias", bias(model, output));
        ArrayNode arr = root.putArray("contributions");
        for (Contribution c : all.subList(0, Math.min(k, all.size()))) {
            ObjectNode o = arr.addObject();
            o.put("feature", c.feature());
            o.put("value", c.value());
            o.put("weight", c.weight());
            o.put("contribution", c.contribution());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The output an ensemble's explanation reads: every member's, averaged. */
    static final int MEAN_OF_MEMBERS = -1;

    private static double weight(Model model, int output, int i) {
        if (output != MEAN_OF_MEMBERS) {
            return model.weight(output, i);
        }
        double sum = 0;
        for (int o = 0; o < model.outputs(); o++) {
            sum += model.weight(o, i);
        }
        return sum / model.outputs();
    }

    private static double bias(Model model, int output) {
        if (output != MEAN_OF_MEMBERS) {
            return model.bias(output);
        }
        double sum = 0;
        for (int o = 0; o < model.outputs(); o++) {
            sum += model.bias(o);
        }
        return sum / model.outputs();
    }

    /** Every nonzero term w_i · x_i of output {@code output}'s margin ({@link #MEAN_OF_MEMBERS}: an ensemble's mean). */
    public static List<Contribution> contributions(Model model, int output, Object... inputs) {
        int d = model.dimension();
        List<Contribution> out = new ArrayList<>();
        if (model.features() instanceof BagOfWords bow) {
            SparseVector x = bow.vectorize((String) inputs[0]);
            for (int j = 0; j < x.size(); j++) {
                int i = x.indices()[j];
                out.add(new Contribution(bow.featureName(i), x.values()[j], weight(model, output, i)));
            }
            if (bow.hashBits() > 0) {
                // name hashed buckets by the first term of this text that falls in them
                Map<Integer, Integer> firstTerm = new java.util.HashMap<>();
                List<String> terms = new ArrayList<>();
                BagOfWords.forEachTerm((String) inputs[0], bow.ngrams(), terms::add);
                for (int t = 0; t < terms.size(); t++) {
                    firstTerm.putIfAbsent(bow.indexOf(terms.get(t)), t);
                }
                out.replaceAll(c -> {
                    int bucket = Integer.parseInt(c.feature().substring(1));
                    Integer t = firstTerm.get(bucket);
                    return t == null ? c : new Contribution(terms.get(t), c.value(), c.weight());
                });
            }
        } else {
            double[] x = model.denseRow(inputs);
            List<String> names = model.inputs();
            for (int i = 0; i < d; i++) {
                out.add(new Contribution(names.get(i), x[i], weight(model, output, i)));
            }
        }
        return out;
    }
}
