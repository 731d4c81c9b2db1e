package dev.augur.engine.codec;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.Features;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Import/export of models as JSON, for models trained elsewhere and for review in migrations:
 * <pre>{"format": "augur-model", "format_version": 1, "name": "spam", "kind": "logistic",
 *  "features": {"type": "dense", "inputs": ["a", "b"]},
 *  "classes": ["0", "1"], "weights": [0.5, -1.25], "bias": 0.1}</pre>
 * Bag of words: {@code "features": {"type": "bag_of_words", "input": "body", "weighting": "tfidf", "ngrams": 1,
 * "hash_bits": 0, "normalize": true, "vocabulary": [...], "idf": [...]}}. Softmax weights are one array per class
 * and bias an array.
 */
public final class ModelJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelJson() {
    }

    public static String toJson(Model m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", "augur-model");
        root.put("format_version", ModelCodec.FORMAT_VERSION);
        root.put("name", m.name());
        root.put("kind", m.kind().sqlName());
        ObjectNode f = root.putObject("features");
        if (m.features() instanceof DenseFeatures dense) {
            f.put("type", "dense");
            ArrayNode in = f.putArray("inputs");
            dense.inputs().forEach(in::add);
        } else if (m.features() instanceof BagOfWords bow) {
            f.put("type", "bag_of_words");
            f.put("input", bow.input());
            f.put("weighting", bow.weighting().sqlName());
            f.put("ngrams", bow.ngrams());
            f.put("hash_bits", bow.hashBits());
            f.put("normalize", bow.normalize());
            ArrayNode vocab = f.putArray("vocabulary");
            for (String t : bow.vocabulary()) {
                vocab.add(t);
            }
            double[] idf = bow.idf();
            if (idf != null) {
                ArrayNode a = f.putArray("idf");
                for (double v : idf) {
                    a.add(v);
                }
            }
        }
        ArrayNode classes = root.putArray("classes");
        m.classes().forEach(classes::add);
        double[] w = m.weights();
        double[] bias = m.bias();
        int d = m.dimension();
        if (m.outputs() == 1) {
            ArrayNode a = root.putArray("weights");
            for (double v : w) {
                a.add(v);
            }
            root.put("bias", bias[0]);
        } else {
            ArrayNode rows = root.putArray("weights");
            for (int o = 0; o < m.outputs(); o++) {
                ArrayNode a = rows.addArray();
                for (int i = 0; i < d; i++) {
                    a.add(w[o * d + i]);
                }
            }
            ArrayNode b = root.putArray("bias");
            for (double v : bias) {
                b.add(v);
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses and validates a model; every defect raises SQLSTATE 22032 naming the field, except a class or input
     * named twice, which is 22023 naming the duplicate.
     */
    public static Model fromJson(String json) {
        return new Reader(false, null).model(json);
    }

    /**
     * Parses and validates the text of a model file under {@code name} (which replaces the name inside). The errors
     * (the same SQLSTATEs as {@link #fromJson}) name the field and the problem but never quote the text: a file that
     * is not a model must not be shown to whoever asked to import it.
     */
    public static Model fromFile(String json, String name) {
        return new Reader(true, name).model(json);
    }

    /** One parse; {@code redact} keeps values of the text out of messages. */
    private record Reader(boolean redact, String name) {
        Model model(String json) {
            JsonNode root;
            try {
                root = MAPPER.readTree(json);
            } catch (JsonProcessingException e) {
                com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
                throw Errors.malformedJson(redact
                        ? "not valid JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
                        : "not valid JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw Errors.malformedJson("expected a JSON object");
            }
            if (root.has("format") && !"augur-model".equals(root.get("format").asText())) {
                throw Errors.malformedJson("\"format\" must be \"augur-model\"");
            }
            JsonNode fv = root.get("format_version");
            if (fv != null && !(fv.isIntegralNumber() && fv.canConvertToInt() && fv.intValue() == ModelCodec.FORMAT_VERSION)) {
                throw Errors.malformedJson("\"format_version\" " + shown(fv) + " is not supported (expected "
                        + ModelCodec.FORMAT_VERSION + ")");
            }
            String modelName = text(root, "", "name");
            if (name != null) {
                modelName = name;
            }
            String kindName = text(root, "", "kind");
            ModelKind kind;
            try {
                kind = ModelKind.fromSqlName(kindName);
            } catch (AugurException e) {
                throw Errors.malformedJson(redact ? "\"kind\" is not a model kind (" + ModelKind.names() + ")" : "\"kind\": " + e.getMessage());
            }
            Features features = features(field(root, "", "features"));
            List<String> classes = new ArrayList<>();
            JsonNode cs = root.get("classes");
            if (cs != null && !cs.isNull()) {
                if (!cs.isArray()) {
                    throw Errors.malformedJson("\"classes\" must be an array of labels");
                }
                for (int i = 0; i < cs.size(); i++) {
                    JsonNode c = cs.get(i);
                    if (!c.isValueNode() || c.isNull()) {
                        throw Errors.malformedJson("\"classes\"[" + i + "] must be a label (text or a number), got " + shown(c));
                    }
                    classes.add(c.asText());
                }
            } else {
                classes.addAll(kind.defaultClasses());
            }
            distinct(modelName, "class", classes, false);
            distinct(modelName, "input", features.inputs(), true);
            int d = features.dimension();
            JsonNode wNode = field(root, "", "weights");
            int fixed = kind.outputCount(classes.size(), d, features instanceof BagOfWords);
            int outputs = fixed < 0 ? members(kind, wNode) : fixed;
            double[] weights = new double[outputs * d];
            if (outputs == 1 && !kind.isEnsemble()) {
                readRow(wNode, "weights", weights, 0, d);
            } else {
                if (!wNode.isArray() || wNode.size() != outputs) {
                    throw Errors.malformedJson("\"weights\" must be " + outputs + " arrays (one per class), got "
                            + (wNode.isArray() ? wNode.size() : wNode.getNodeType().toString().toLowerCase()));
                }
                for (int o = 0; o < outputs; o++) {
                    readRow(wNode.get(o), "weights[" + o + "]", weights, o * d, d);
                }
            }
            JsonNode bNode = field(root, "", "bias");
            double[] bias = new double[outputs];
            if (bNode.isNumber() && outputs == 1) {
                bias[0] = finite(bNode, "bias");
            } else {
                readRow(bNode, "bias", bias, 0, outputs);
            }
            try {
                return Model.of(modelName, kind, features, classes, weights, bias);
            } catch (AugurException e) {
                throw Errors.malformedJson(redact ? "the name, classes, weights and bias do not make a " + kind.sqlName()
                        + " model over " + d + " features (" + classes.size() + " classes, " + outputs + " bias values)" : e.getMessage());
            }
        }

        /** An ensemble's weights are one array per member. */
        private static int members(ModelKind kind, JsonNode weights) {
            if (!weights.isArray() || weights.isEmpty() || !weights.get(0).isArray()) {
                throw Errors.malformedJson("\"weights\" of a " + kind.title() + " model must be an array of arrays, one per member");
            }
            return weights.size();
        }

        /** The same class (or input, case-insensitively: inputs name columns) twice is 22023, naming it. */
        private void distinct(String model, String what, List<String> values, boolean ignoreCase) {
            String twice = Model.firstRepeated(values, ignoreCase);
            if (twice != null) {
                throw redact ? Errors.invalidParameter("the model file names " + (what.equals("class") ? "a class" : "an input")
                        + " twice; \"" + (what.equals("class") ? "classes" : "features.inputs") + "\" must be distinct")
                        : Errors.duplicate(model, what, twice, values);
            }
        }

        private Features features(JsonNode f) {
            String type = text(f, "features.", "type");
            if (type.equals("dense")) {
                JsonNode in = field(f, "features.", "inputs");
                if (!in.isArray() || in.isEmpty()) {
                    throw Errors.malformedJson("\"features.inputs\" must be a non-empty array of names");
                }
                List<String> inputs = new ArrayList<>();
                for (int i = 0; i < in.size(); i++) {
                    JsonNode n = in.get(i);
                    if (!n.isTextual()) {
                        throw Errors.malformedJson("\"features.inputs\"[" + i + "] must be a name (a string), got " + shown(n));
                    }
                    inputs.add(n.asText());
                }
                return new DenseFeatures(inputs);
            }
            if (type.equals("bag_of_words")) {
                JsonNode wn = f.get("weighting");
                if (wn != null && !wn.isTextual()) {
                    throw Errors.malformedJson("\"features.weighting\" must be binary, tf or tfidf, got " + shown(wn));
                }
                BagOfWords.Weighting weighting;
                try {
                    weighting = BagOfWords.Weighting.fromSqlName(wn == null ? "tf" : wn.asText());
                } catch (AugurException e) {
                    throw Errors.malformedJson(redact ? "\"features.weighting\" must be binary, tf or tfidf" : "\"features\": " + e.getMessage());
                }
                int hashBits = integer(f, "hash_bits", 0, 26, 0);
                int ngrams = integer(f, "ngrams", 1, 5, 1);
                JsonNode nz = f.get("normalize");
                if (nz != null && !nz.isBoolean()) {
                    throw Errors.malformedJson("\"features.normalize\" must be true or false, got " + shown(nz));
                }
                String[] vocab = new String[0];
                JsonNode v = f.get("vocabulary");
                if (v != null && !v.isNull()) {
                    if (!v.isArray()) {
                        throw Errors.malformedJson("\"features.vocabulary\" must be an array of terms");
                    }
                    vocab = new String[v.size()];
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    for (int i = 0; i < vocab.length; i++) {
                        if (!v.get(i).isTextual()) {
                            throw Errors.malformedJson("\"features.vocabulary\"[" + i + "] must be a term (a string), got " + shown(v.get(i)));
                        }
                        vocab[i] = v.get(i).asText();
                        if (redact && !seen.add(vocab[i])) {
                            throw Errors.malformedJson("\"features.vocabulary\"[" + i + "] repeats an earlier term");
                        }
                    }
                }
                double[] idf = null;
                JsonNode idfNode = f.get("idf");
                if (idfNode != null && !idfNode.isNull()) {
                    idf = new double[idfNode.size()];
                    readRow(idfNode, "features.idf", idf, 0, idf.length);
                }
                String input = text(f, "features.", "input");
                try {
                    return new BagOfWords(input, weighting, ngrams, hashBits, nz != null && nz.asBoolean(), vocab, idf);
                } catch (AugurException e) {
                    // what is left to find here are counts (vocabulary and idf sizes), no values of the text
                    throw Errors.malformedJson("\"features\": " + e.getMessage());
                }
            }
            throw Errors.malformedJson("\"features.type\" must be \"dense\" or \"bag_of_words\", got " + shown(f.get("type")));
        }

        /** An optional integer field of the features, exactly (2^32 + 2 hash bits are not 2). */
        private int integer(JsonNode f, String key, int min, int max, int dflt) {
            JsonNode v = f.get(key);
            if (v == null || v.isNull()) {
                return dflt;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
                throw Errors.malformedJson("\"features." + key + "\" must be an integer between " + min + " and " + max
                        + ", got " + shown(v));
            }
            return v.intValue();
        }

        private void readRow(JsonNode node, String what, double[] out, int off, int n) {
            if (node == null || !node.isArray()) {
                throw Errors.malformedJson("\"" + what + "\" must be an array of " + n + " numbers");
            }
            if (node.size() != n) {
                throw Errors.malformedJson("\"" + what + "\" has " + node.size() + " numbers, the features need " + n);
            }
            for (int i = 0; i < n; i++) {
                out[off + i] = finite(node.get(i), what + "\"[" + i + "]");
            }
        }

        /** {@code where} is the field as shown, e.g. {@code weights"[2]} (the closing quote inside). */
        private double finite(JsonNode v, String where) {
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                String field = where.contains("\"") ? where : where + "\"";
                throw Errors.malformedJson("\"" + field + " is " + shown(v) + ", expected a finite number");
            }
            return v.asDouble();
        }

        private JsonNode field(JsonNode node, String prefix, String name) {
            JsonNode v = node.get(name);
            if (v == null || v.isNull()) {
                throw Errors.malformedJson("missing field \"" + prefix + name + "\"");
            }
            return v;
        }

        private String text(JsonNode node, String prefix, String name) {
            JsonNode v = field(node, prefix, name);
            if (!v.isTextual()) {
                throw Errors.malformedJson("\"" + prefix + name + "\" must be a string, got " + shown(v));
            }
            return v.asText();
        }

        /** A value of the text in a message: itself, or only its JSON type when the text is a file's. */
        private String shown(JsonNode v) {
            if (v == null) {
                return "nothing";
            }
            return redact ? "a " + v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT) : v.toString();
        }
    }
}
