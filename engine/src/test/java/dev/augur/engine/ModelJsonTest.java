package dev.augur.engine;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelJsonTest {
    /** The example in the ModelJson documentation. */
    private static final String EXAMPLE = """
            {"format": "augur-model", "format_version": 1, "name": "spam", "kind": "logistic",
             "features": {"type": "dense", "inputs": ["a", "b"]},
             "classes": ["0", "1"], "weights": [0.5, -1.25], "bias": 0.1}""";

    @Property(tries = 300)
    void toJsonThenFromJsonGivesTheSameModel(@ForAll("models") Model model) {
        Model back = ModelJson.fromJson(ModelJson.toJson(model));

        assertThat(back).isEqualTo(model);
        assertThat(back.weights()).isEqualTo(model.weights());
        assertThat(back.bias()).isEqualTo(model.bias());
    }

    @Provide
    Arbitrary<Model> models() {
        return ModelArbitraries.models();
    }

    @Test
    void documentedExampleImports() {
        Model model = ModelJson.fromJson(EXAMPLE);

        assertThat(model.name()).isEqualTo("spam");
        assertThat(model.kind()).isEqualTo(ModelKind.LOGISTIC);
        assertThat(model.inputs()).containsExactly("a", "b");
        assertThat(model.evaluate(1.0, 1.0).margin()).isCloseTo(0.5 - 1.25 + 0.1, within(1e-12));
    }

    @Test
    void binaryClassesDefaultToZeroAndOne() {
        Model model = ModelJson.fromJson(EXAMPLE.replace("\"classes\": [\"0\", \"1\"],", ""));

        assertThat(model.classes()).containsExactly("0", "1");
    }

    @Test
    void bagOfWordsJsonShapeImports() {
        Model model = ModelJson.fromJson("""
                {"name": "spam", "kind": "svm", "classes": ["ham", "spam"],
                 "features": {"type": "bag_of_words", "input": "body", "weighting": "tfidf", "ngrams": 2,
                              "hash_bits": 0, "normalize": false, "vocabulary": ["cheap", "pills"], "idf": [2.0, 3.0]},
                 "weights": [1.0, 1.0], "bias": -4.0}""");

        assertThat(model.features()).isInstanceOfSatisfying(BagOfWords.class, bow -> {
            assertThat(bow.weighting()).isEqualTo(BagOfWords.Weighting.TFIDF);
            assertThat(bow.ngrams()).isEqualTo(2);
            assertThat(bow.vocabulary()).containsExactly("cheap", "pills");
        });
        // cheap (2 × idf 2) + pills (idf 3) - 4 = 3
        assertThat(model.evaluate("Cheap cheap PILLS").margin()).isEqualTo(3.0);
        assertThat(model.evaluate("Cheap cheap PILLS").label()).isEqualTo("spam");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not JSON at all                  | {"name": "m", "kind":                                          | not valid JSON
            not an object                    | [1, 2]                                                         | expected a JSON object
            missing kind                     | {"name": "m", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | missing field "kind"
            unknown kind                     | {"name": "m", "kind": "forest", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | "kind": unknown model kind 'forest'
            missing name                     | {"kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | missing field "name"
            invalid name                     | {"name": "1st", "kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | invalid model name '1st'
            weights too short                | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a", "b"]}, "weights": [1], "bias": 0} | "weights" has 1 numbers, the features need 2
            weight that is text              | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a", "b"]}, "weights": ["NaN", 1], "bias": 0} | "weights"[0] is "NaN", expected a finite number
            weight that overflows            | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1e400], "bias": 0} | "weights"[0]
            weights not an array             | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": 1, "bias": 0} | "weights" must be an array of 1 numbers
            softmax weights not per class    | {"name": "m", "kind": "softmax", "classes": ["x", "y", "z"], "features": {"type": "dense", "inputs": ["a"]}, "weights": [1, 2, 3], "bias": [0, 0, 0]} | "weights[0]" must be an array of 1 numbers
            softmax weights for 2 of 3 classes | {"name": "m", "kind": "softmax", "classes": ["x", "y", "z"], "features": {"type": "dense", "inputs": ["a"]}, "weights": [[1], [2]], "bias": [0, 0, 0]} | "weights" must be 3 arrays (one per class), got 2
            softmax bias a number            | {"name": "m", "kind": "softmax", "classes": ["x", "y"], "features": {"type": "dense", "inputs": ["a"]}, "weights": [[1], [2]], "bias": 0} | "bias" must be an array of 2 numbers
            missing bias                     | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1]} | missing field "bias"
            unknown features.type            | {"name": "m", "kind": "linear", "features": {"type": "trees"}, "weights": [1], "bias": 0} | "features.type" must be "dense" or "bag_of_words", got "trees"
            missing features.type            | {"name": "m", "kind": "linear", "features": {"inputs": ["a"]}, "weights": [1], "bias": 0} | missing field "features.type"
            missing features                 | {"name": "m", "kind": "linear", "weights": [1], "bias": 0}   | missing field "features"
            empty dense inputs               | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": []}, "weights": [], "bias": 0} | "features.inputs" must be a non-empty array
            bag of words without input       | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "vocabulary": ["a"]}, "weights": [1], "bias": 0} | missing field "features.input"
            unknown weighting                | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "weighting": "bm25", "vocabulary": ["a"]}, "weights": [1], "bias": 0} | "features": unknown features option 'bm25'
            tfidf without idf                | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "weighting": "tfidf", "vocabulary": ["a"]}, "weights": [1], "bias": 0} | "features": tf-idf weighting needs 1 idf values
            idf that is text                 | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "weighting": "tfidf", "vocabulary": ["a"], "idf": ["x"]}, "weights": [1], "bias": 0} | "features.idf"[0]
            logistic with three classes      | {"name": "m", "kind": "logistic", "classes": ["x", "y", "z"], "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | needs exactly 2 classes
            wrong format                     | {"format": "onnx", "name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | "format" must be "augur-model"
            future format version            | {"format_version": 2, "name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | "format_version" 2 is not supported
            """)
    void malformedJsonIsInvalidJsonNamingTheField(String defect, String json, String expectedMessagePart) {
        assertThatThrownBy(() -> ModelJson.fromJson(json))
                .as(defect)
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.INVALID_JSON);
                    assertThat(e.getMessage()).contains(expectedMessagePart);
                    assertThat(e.getMessage()).containsOnlyOnce("malformed model JSON");
                });
    }

    @Test
    void exportedJsonNamesKindFeaturesAndFormat() {
        Model model = new Model("Spam", ModelKind.SOFTMAX, new DenseFeatures(List.of("a")), List.of("x", "y"),
                new double[]{1, 2}, new double[]{3, 4});

        String json = ModelJson.toJson(model);

        assertThat(json).contains("\"format\":\"augur-model\"", "\"format_version\":1", "\"name\":\"spam\"",
                "\"kind\":\"softmax\"", "\"type\":\"dense\"", "\"weights\":[[1.0],[2.0]]", "\"bias\":[3.0,4.0]");
    }
}
