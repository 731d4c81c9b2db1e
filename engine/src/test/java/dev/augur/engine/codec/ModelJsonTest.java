package dev.augur.engine.codec;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
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
        Model model = Model.of("Spam", ModelKind.SOFTMAX, new DenseFeatures(List.of("a")), List.of("x", "y"),
                new double[]{1, 2}, new double[]{3, 4});

        String json = ModelJson.toJson(model);

        assertThat(json).contains("\"format\":\"augur-model\"", "\"format_version\":1", "\"name\":\"spam\"",
                "\"kind\":\"softmax\"", "\"type\":\"dense\"", "\"weights\":[[1.0],[2.0]]", "\"bias\":[3.0,4.0]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            two equal classes               | {"name": "m", "kind": "logistic", "classes": ["1", "1"], "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | model 'm' has class '1' twice (classes: 1, 1)
            two equal softmax classes       | {"name": "m", "kind": "softmax", "classes": ["x", "y", "x"], "features": {"type": "dense", "inputs": ["a"]}, "weights": [[1], [2], [3]], "bias": [0, 0, 0]} | model 'm' has class 'x' twice
            two equal inputs                | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a", "a"]}, "weights": [1, 2], "bias": 0} | model 'm' has input 'a' twice (inputs: a, a)
            inputs equal but for case       | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a", "A"]}, "weights": [1, 2], "bias": 0} | model 'm' has input 'A' twice
            """)
    void aClassOrInputNamedTwiceIsInvalidParameterNamingIt(String defect, String json, String expectedMessagePart) {
        assertThatThrownBy(() -> ModelJson.fromJson(json)).as(defect)
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER);
                    assertThat(e.getMessage()).contains(expectedMessagePart);
                });
    }

    @Test
    void theModelItselfRefusesAClassOrInputTwice() {
        assertThatThrownBy(() -> Model.of("m", ModelKind.LOGISTIC, new DenseFeatures(List.of("a", "b")), List.of("1", "1"),
                new double[]{1, 2}, new double[]{0}))
                .isInstanceOfSatisfying(AugurException.class, e -> assertThat(e.sqlState()).isEqualTo(Errors.INVALID_PARAMETER))
                .hasMessageContaining("class '1' twice");
        assertThatThrownBy(() -> Model.of("m", ModelKind.LINEAR, new DenseFeatures(List.of("x", "X")), List.of(),
                new double[]{1, 2}, new double[]{0}))
                .hasMessageContaining("input 'X' twice");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            hash bits beyond 32 bits        | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "hash_bits": 4294967298}, "weights": [1, 2, 3, 4], "bias": 0} | "features.hash_bits" must be an integer between 0 and 26, got 4294967298
            hash bits as a fraction         | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "hash_bits": 2.5}, "weights": [1, 2, 3, 4], "bias": 0} | "features.hash_bits" must be an integer
            hash bits as text               | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "hash_bits": "2"}, "weights": [1, 2, 3, 4], "bias": 0} | "features.hash_bits" must be an integer
            ngrams beyond 32 bits           | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "ngrams": 4294967297, "vocabulary": ["a"]}, "weights": [1], "bias": 0} | "features.ngrams" must be an integer between 1 and 5
            normalize as text               | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "normalize": "yes", "vocabulary": ["a"]}, "weights": [1], "bias": 0} | "features.normalize" must be true or false
            format version beyond 32 bits   | {"format_version": 4294967297, "name": "m", "kind": "linear", "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | "format_version" 4294967297 is not supported
            an input that is a number       | {"name": "m", "kind": "linear", "features": {"type": "dense", "inputs": [1]}, "weights": [1], "bias": 0} | "features.inputs"[0] must be a name
            a class that is an object       | {"name": "m", "kind": "logistic", "classes": ["0", {}], "features": {"type": "dense", "inputs": ["a"]}, "weights": [1], "bias": 0} | "classes"[1] must be a label
            a term that is a number         | {"name": "m", "kind": "linear", "features": {"type": "bag_of_words", "input": "t", "vocabulary": [7]}, "weights": [1], "bias": 0} | "features.vocabulary"[0] must be a term
            """)
    void numbersAndNamesAreReadExactly(String defect, String json, String expectedMessagePart) {
        assertThatThrownBy(() -> ModelJson.fromJson(json)).as(defect)
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.INVALID_JSON);
                    assertThat(e.getMessage()).contains(expectedMessagePart);
                });
    }

    /** A model file's text never reaches a message, whatever field it sits in and whatever is wrong. */
    @Property(tries = 300)
    void aFilesTextIsNeverQuoted(@ForAll("models") Model model, @ForAll("fields") String field) {
        String secret = "s3cr3tXq";
        String json = ModelJson.toJson(model);
        String broken = switch (field) {
            case "kind" -> json.replaceFirst("\"kind\":\"[a-z]+\"", "\"kind\":\"" + secret + "\"");
            case "name" -> json.replaceFirst("\"name\":\"[^\"]*\"", "\"name\":[\"" + secret + "\"]");
            case "type" -> json.replaceFirst("\"type\":\"[a-z_]+\"", "\"type\":\"" + secret + "\"");
            case "weights" -> json.replaceFirst("\"weights\":\\[\\[?", "\"weights\":[\"" + secret + "\",");
            case "classes" -> json.replaceFirst("\"classes\":\\[", "\"classes\":[\"" + secret + "\",\"" + secret + "\",");
            case "inputs" -> json.replaceFirst("\"inputs\":\\[", "\"inputs\":[\"" + secret + "\",\"" + secret.toUpperCase() + "\",");
            case "format_version" -> json.replaceFirst("\"format_version\":1", "\"format_version\":\"" + secret + "\"");
            default -> secret + json;
        };
        try {
            ModelJson.fromFile(broken, "m");
        } catch (AugurException e) {
            assertThat(e.sqlState()).isIn(Errors.INVALID_JSON, Errors.INVALID_PARAMETER);
            assertThat(e.getMessage()).as(broken).doesNotContainIgnoringCase(secret);
        }
    }

    @Provide
    Arbitrary<String> fields() {
        return net.jqwik.api.Arbitraries.of("kind", "name", "type", "weights", "classes", "inputs", "format_version", "text");
    }

    @Test
    void aFileIsImportedUnderTheGivenName() {
        Model model = ModelJson.fromFile(EXAMPLE, "other");
        assertThat(model.name()).isEqualTo("other");
        assertThat(model).isEqualTo(ModelJson.fromJson(EXAMPLE).withName("other"));
    }
}
