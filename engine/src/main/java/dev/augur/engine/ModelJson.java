package dev.augur.engine;

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
        double[] w = m.weightsUnsafe();
        int d = m.dimension();
        if (m.outputs() == 1) {
            ArrayNode a = root.putArray("weights");
            for (double v : w) {
                a.add(v);
            }
            root.put("bias", m.biasUnsafe()[0]);
        } else {
            ArrayNode rows = root.putArray("weights");
            for (int o = 0; o < m.outputs(); o++) {
                ArrayNode a = rows.addArray();
                for (int i = 0; i < d; i++) {
                    a.add(w[o * d + i]);
                }
            }
            ArrayNode b = root.putArray("bias");
            for (double v : m.biasUnsafe()) {
                b.add(v);
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates a model; every defect raises SQLSTATE 22032 naming the field. */
    public static Model fromJson(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw Errors.malformedJson("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw Errors.malformedJson("expected a JSON object");
        }
        if (root.has("format") && !"augur-model".equals(root.get("format").asText())) {
            throw Errors.malformedJson("\"format\" must be \"augur-model\"");
        }
        if (root.has("format_version") && root.get("format_version").asInt() != ModelCodec.FORMAT_VERSION) {
            throw Errors.malformedJson("\"format_version\" " + root.get("format_version") + " is not supported (expected "
                    + ModelCodec.FORMAT_VERSION + ")");
        }
        String name = text(root, "name");
        String kindName = text(root, "kind");
        ModelKind kind;
        try {
            kind = ModelKind.fromSqlName(kindName);
        } catch (AugurException e) {
            throw Errors.malformedJson("\"kind\": " + e.getMessage());
        }
        JsonNode f = field(root, "features");
        Features features = parseFeatures(f);
        List<String> classes = new ArrayList<>();
        JsonNode cs = root.get("classes");
        if (cs != null && !cs.isNull()) {
            if (!cs.isArray()) {
                throw Errors.malformedJson("\"classes\" must be an array of labels");
            }
            cs.forEach(c -> classes.add(c.asText()));
        } else if (kind.isBinary()) {
            classes.add("0");
            classes.add("1");
        }
        int outputs = kind == ModelKind.SOFTMAX ? classes.size() : 1;
        int d = features.dimension();
        JsonNode wNode = field(root, "weights");
        double[] weights = new double[outputs * d];
        if (outputs == 1) {
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
        JsonNode bNode = field(root, "bias");
        double[] bias = new double[outputs];
        if (bNode.isNumber() && outputs == 1) {
            bias[0] = bNode.asDouble();
        } else {
            readRow(bNode, "bias", bias, 0, outputs);
        }
        try {
            return new Model(name, kind, features, classes, weights, bias);
        } catch (AugurException e) {
            throw Errors.malformedJson(e.getMessage());
        }
    }

    private static Features parseFeatures(JsonNode f) {
        String type = text(f, "features.", "type");
        try {
            if (type.equals("dense")) {
                JsonNode in = field(f, "features.", "inputs");
                if (!in.isArray() || in.isEmpty()) {
                    throw Errors.malformedJson("\"features.inputs\" must be a non-empty array of names");
                }
                List<String> inputs = new ArrayList<>();
                in.forEach(n -> inputs.add(n.asText()));
                return new DenseFeatures(inputs);
            }
            if (type.equals("bag_of_words")) {
                BagOfWords.Weighting weighting = BagOfWords.Weighting.fromSqlName(
                        f.has("weighting") ? f.get("weighting").asText() : "tf");
                int hashBits = f.path("hash_bits").asInt(0);
                String[] vocab = new String[0];
                JsonNode v = f.get("vocabulary");
                if (v != null && v.isArray()) {
                    vocab = new String[v.size()];
                    for (int i = 0; i < vocab.length; i++) {
                        vocab[i] = v.get(i).asText();
                    }
                }
                double[] idf = null;
                JsonNode idfNode = f.get("idf");
                if (idfNode != null && !idfNode.isNull()) {
                    idf = new double[idfNode.size()];
                    readRow(idfNode, "features.idf", idf, 0, idf.length);
                }
                return new BagOfWords(text(f, "features.", "input"), weighting, f.path("ngrams").asInt(1), hashBits,
                        f.path("normalize").asBoolean(false), vocab, idf);
            }
        } catch (AugurException e) {
            if (e.sqlState().equals(Errors.INVALID_JSON)) {
                throw e;
            }
            throw Errors.malformedJson("\"features\": " + e.getMessage());
        }
        throw Errors.malformedJson("\"features.type\" must be \"dense\" or \"bag_of_words\", got \"" + type + "\"");
    }

    private static void readRow(JsonNode node, String what, double[] out, int off, int n) {
        if (node == null || !node.isArray()) {
            throw Errors.malformedJson("\"" + what + "\" must be an array of " + n + " numbers");
        }
        if (node.size() != n) {
            throw Errors.malformedJson("\"" + what + "\" has " + node.size() + " numbers, the features need " + n);
        }
        for (int i = 0; i < n; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw Errors.malformedJson("\"" + what + "\"[" + i + "] is " + v + ", expected a finite number");
            }
            out[off + i] = v.asDouble();
        }
    }

    private static JsonNode field(JsonNode node, String name) {
        return field(node, "", name);
    }

    /** The field {@code name} of {@code node}; {@code prefix} is the path shown in messages ("features."). */
    private static JsonNode field(JsonNode node, String prefix, String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw Errors.malformedJson("missing field \"" + prefix + name + "\"");
        }
        return v;
    }

    private static String text(JsonNode node, String name) {
        return text(node, "", name);
    }

    private static String text(JsonNode node, String prefix, String name) {
        JsonNode v = field(node, prefix, name);
        if (!v.isTextual()) {
            throw Errors.malformedJson("\"" + prefix + name + "\" must be a string, got " + v);
        }
        return v.asText();
    }
}
