package dev.augur.engine.codec;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class ModelCodecTest {
    private static final Model DENSE = Model.of("tiny", ModelKind.LOGISTIC, new DenseFeatures(List.of("a", "b")),
            List.of("no", "yes"), new double[]{0.5, -1.25}, new double[]{0.125});
    private static final Model TFIDF = Model.of("words", ModelKind.SOFTMAX,
            new BagOfWords("body", BagOfWords.Weighting.TFIDF, 2, 0, true, new String[]{"spam", "ham", "spam ham"},
                    new double[]{1.5, 2.5, 3.5}),
            List.of("x", "y"), new double[]{1, 2, 3, 4, 5, 6}, new double[]{-1, 1});

    @Property(tries = 300)
    void encodeThenDecodeGivesTheSameModel(@ForAll("models") Model model) {
        byte[] payload = ModelCodec.encode(model);

        Model decoded = ModelCodec.decode(payload, ModelCodec.sha256(payload), model.name(), 1);

        assertThat(decoded).isEqualTo(model);
        assertThat(decoded.weights()).isEqualTo(model.weights());
        assertThat(decoded.bias()).isEqualTo(model.bias());
        assertThat(ModelCodec.encode(decoded)).isEqualTo(payload);
    }

    @Provide
    Arbitrary<Model> models() {
        return ModelArbitraries.models();
    }

    @Test
    void hashedTfidfModelRoundTrips() {
        int bits = 4;
        double[] idf = new double[1 << bits];
        Arrays.setAll(idf, i -> 1 + i / 7.0);
        Model hashed = Model.of("hashed", ModelKind.SVM,
                new BagOfWords("text", BagOfWords.Weighting.TFIDF, 1, bits, false, null, idf),
                List.of("0", "1"), idf.clone(), new double[]{0.25});

        byte[] payload = ModelCodec.encode(hashed);

        assertThat(ModelCodec.decode(payload)).isEqualTo(hashed);
    }

    /** The layout is a contract with every payload already stored in a catalog: format 1 must never change. */
    @Test
    void formatOneLayoutIsPinned() {
        byte[] name = "tiny".getBytes(StandardCharsets.UTF_8);
        ByteBuffer expected = ByteBuffer.allocate(200);
        expected.put(new byte[]{'A', 'U', 'G', 'M'}).putShort((short) 1).put((byte) 2).put((byte) 1);
        expected.putInt(name.length).put(name);
        expected.putInt(2).putInt(1).put((byte) 'a').putInt(1).put((byte) 'b');
        expected.putInt(2).putInt(2).put("no".getBytes(StandardCharsets.UTF_8)).putInt(3).put("yes".getBytes(StandardCharsets.UTF_8));
        expected.putInt(1).putInt(2).putDouble(0.5).putDouble(-1.25).putDouble(0.125);

        assertThat(ModelCodec.encode(DENSE)).isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
    }

    @Test
    void sha256IsLowerCaseHex() {
        assertThat(ModelCodec.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void storedShaIsComparedIgnoringCase() {
        byte[] payload = ModelCodec.encode(DENSE);

        assertThat(ModelCodec.decode(payload, ModelCodec.sha256(payload).toUpperCase(), "tiny", 1)).isEqualTo(DENSE);
    }

    @Test
    void wrongShaIsDataCorruptedNamingModelVersionAndBothHashes() {
        byte[] payload = ModelCodec.encode(DENSE);
        String actual = ModelCodec.sha256(payload);
        String wrong = "0".repeat(64);

        assertThatThrownBy(() -> ModelCodec.decode(payload, wrong, "tiny", 7))
                .isInstanceOfSatisfying(AugurException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo(Errors.DATA_CORRUPTED);
                    assertThat(e.getMessage()).contains("'tiny'", "version 7", wrong, actual);
                });
    }

    @Test
    void payloadChangedAfterHashingIsDataCorrupted() {
        byte[] payload = ModelCodec.encode(DENSE);
        String sha = ModelCodec.sha256(payload);
        payload[payload.length - 1] ^= 1;

        assertCorrupt(() -> ModelCodec.decode(payload, sha, "tiny", 1));
    }

    @Test
    void everyTruncationIsDataCorrupted() {
        for (Model model : List.of(DENSE, TFIDF)) {
            byte[] payload = ModelCodec.encode(model);
            for (int length = 0; length < payload.length; length++) {
                byte[] prefix = Arrays.copyOf(payload, length);
                assertCorrupt(() -> ModelCodec.decode(prefix));
            }
        }
    }

    @Test
    void badMagicIsDataCorrupted() {
        byte[] payload = ModelCodec.encode(DENSE);
        payload[0] = 'X';

        Throwable thrown = assertCorrupt(() -> ModelCodec.decode(payload));

        assertThat(thrown).hasMessageContaining("magic");
    }

    @Test
    void unknownFormatVersionIsDataCorruptedAskingForAnUpgrade() {
        byte[] payload = ModelCodec.encode(DENSE);
        payload[5] = 2;

        Throwable thrown = assertCorrupt(() -> ModelCodec.decode(payload));

        assertThat(thrown).hasMessageContaining("format 2").hasMessageContaining("upgrade");
    }

    @Test
    void unknownKindIdIsDataCorrupted() {
        byte[] payload = ModelCodec.encode(DENSE);
        payload[6] = 99;

        assertThat(assertCorrupt(() -> ModelCodec.decode(payload))).hasMessageContaining("kind id 99");
    }

    @Test
    void trailingBytesAreDataCorrupted() {
        byte[] payload = ModelCodec.encode(DENSE);
        byte[] longer = Arrays.copyOf(payload, payload.length + 1);

        assertThat(assertCorrupt(() -> ModelCodec.decode(longer))).hasMessageContaining("trailing");
    }

    /** A corrupt count larger than the payload could hold is refused before anything of that size is allocated. */
    @Test
    void countLargerThanThePayloadIsDataCorruptedBeforeAllocating() {
        byte[] payload = ModelCodec.encode(TFIDF);
        // the vocabulary count follows magic, version, kind, features id, name, input, weighting, ngrams, bits, normalize
        int vocabularyCount = 4 + 2 + 1 + 1 + (4 + "words".length()) + (4 + "body".length()) + 4;
        int idfCount = vocabularyCount + 4 + (4 + 4) + (4 + 3) + (4 + 8);
        assertThat(ByteBuffer.wrap(payload).getInt(vocabularyCount)).isEqualTo(3);
        assertThat(ByteBuffer.wrap(payload).getInt(idfCount)).isEqualTo(3);

        for (int at : new int[]{vocabularyCount, idfCount}) {
            byte[] corrupt = Arrays.copyOf(payload, at + 4);
            ByteBuffer.wrap(corrupt).putInt(at, 1 << 26);

            assertThat(assertCorrupt(() -> ModelCodec.decode(corrupt))).hasMessageContaining("implausible length");
        }
    }

    /** A flipped byte anywhere decodes to some valid model or raises a clean XX001: never another exception type. */
    @Property(tries = 500)
    void anyFlippedByteDecodesOrIsDataCorrupted(@ForAll("smallModels") Model model, @ForAll @IntRange(max = 10_000) int at,
                                                @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] payload = ModelCodec.encode(model);
        payload[at % payload.length] ^= (byte) mask;

        Throwable thrown = catchThrowable(() -> ModelCodec.decode(payload));

        if (thrown != null) {
            assertThat(thrown).isInstanceOf(AugurException.class);
            assertThat(((AugurException) thrown).sqlState()).isEqualTo(Errors.DATA_CORRUPTED);
        }
    }

    @Provide
    Arbitrary<Model> smallModels() {
        return Arbitraries.of(DENSE, TFIDF);
    }

    private static Throwable assertCorrupt(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(AugurException.class);
        assertThat(((AugurException) thrown).sqlState()).as(thrown.getMessage()).isEqualTo(Errors.DATA_CORRUPTED);
        return thrown;
    }
}
