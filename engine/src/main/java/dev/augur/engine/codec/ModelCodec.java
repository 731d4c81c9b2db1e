package dev.augur.engine.codec;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.features.DenseFeatures;
import dev.augur.engine.features.Features;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The binary model payload stored in the catalog. Layout (big-endian), fixed forever for format 1:
 * magic "AUGM", u16 format version, u8 kind id, u8 feature-function id, name, feature function, classes,
 * u32 outputs, u32 dimension, weights (f64), bias (f64). Strings are u32 byte length + UTF-8.
 * The catalog stores the payload's SHA-256 beside it and {@link #decode(byte[], String)} checks it.
 */
public final class ModelCodec {
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'A', 'U', 'G', 'M'};
    private static final int MAX_STRING = 1 << 20;

    private ModelCodec() {
    }

    public static byte[] encode(Model model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 8 * (model.parameterCount() + model.outputs()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeShort(FORMAT_VERSION);
            out.writeByte(model.kind().id());
            out.writeByte(model.features().codecId());
            writeString(out, model.name());
            writeFeatures(out, model.features());
            out.writeInt(model.classes().size());
            for (String c : model.classes()) {
                writeString(out, c);
            }
            out.writeInt(model.outputs());
            out.writeInt(model.dimension());
            for (double w : model.weights()) {
                out.writeDouble(w);
            }
            for (double b : model.bias()) {
                out.writeDouble(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeFeatures(DataOutputStream out, Features f) throws IOException {
        if (f instanceof DenseFeatures dense) {
            out.writeInt(dense.inputs().size());
            for (String in : dense.inputs()) {
                writeString(out, in);
            }
        } else if (f instanceof BagOfWords bow) {
            writeString(out, bow.input());
            out.writeByte(bow.weighting().id());
            out.writeByte(bow.ngrams());
            out.writeByte(bow.hashBits());
            out.writeBoolean(bow.normalize());
            String[] vocab = bow.vocabulary();
            out.writeInt(vocab.length);
            for (String t : vocab) {
                writeString(out, t);
            }
            double[] idf = bow.idf();
            out.writeInt(idf == null ? 0 : idf.length);
            if (idf != null) {
                for (double v : idf) {
                    out.writeDouble(v);
                }
            }
        }
    }

    /** Decodes a payload after checking it against the SHA-256 the catalog stored for it. */
    public static Model decode(byte[] payload, String expectedSha256, String name, int version) {
        String actual = sha256(payload);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw Errors.corruptPayload(name, version, expectedSha256, actual);
        }
        return decode(payload);
    }

    /** Decodes a payload; a truncated or malformed one raises {@link Errors#DATA_CORRUPTED}. */
    public static Model decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            byte[] magic = in.readNBytes(4);
            if (magic.length != 4 || magic[0] != 'A' || magic[1] != 'U' || magic[2] != 'G' || magic[3] != 'M') {
                throw Errors.corruptPayload("not an Augur model payload (bad magic)");
            }
            int format = in.readUnsignedShort();
            if (format != FORMAT_VERSION) {
                throw Errors.corruptPayload("payload format " + format + " is not supported by this Augur (knows "
                        + FORMAT_VERSION + "); upgrade Augur");
            }
            ModelKind kind = ModelKind.fromId(in.readUnsignedByte());
            int featuresId = in.readUnsignedByte();
            String name = readString(in);
            Features features = readFeatures(in, featuresId, payload.length);
            int nClasses = in.readInt();
            checkCount(nClasses, payload.length);
            List<String> classes = new ArrayList<>(nClasses);
            for (int i = 0; i < nClasses; i++) {
                classes.add(readString(in));
            }
            int outputs = in.readInt();
            int dim = in.readInt();
            if (dim != features.dimension()) {
                throw Errors.corruptPayload("dimension " + dim + " disagrees with the feature function's " + features.dimension());
            }
            long n = (long) outputs * dim;
            checkCount(n * 8, payload.length);
            double[] weights = new double[(int) n];
            for (int i = 0; i < n; i++) {
                weights[i] = in.readDouble();
            }
            checkCount(outputs * 8L, payload.length);
            double[] bias = new double[outputs];
            for (int i = 0; i < outputs; i++) {
                bias[i] = in.readDouble();
            }
            if (in.read() != -1) {
                throw Errors.corruptPayload("trailing bytes after the model");
            }
            return Model.of(name, kind, features, classes, weights, bias);
        } catch (EOFException e) {
            throw Errors.corruptPayload("truncated (" + payload.length + " bytes)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (AugurException e) {
            if (e.sqlState().equals(Errors.DATA_CORRUPTED)) {
                throw e;
            }
            throw Errors.corruptPayload(e.getMessage());
        }
    }

    /** Counts are checked against the payload size (each string takes at least 4 bytes, each double 8) before
     * anything is allocated, so a corrupt count is a clear error rather than an OutOfMemoryError. */
    private static Features readFeatures(DataInputStream in, int id, int payloadLength) throws IOException {
        if (id == DenseFeatures.CODEC_ID) {
            int n = in.readInt();
            checkCount(n * 4L, payloadLength);
            List<String> inputs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                inputs.add(readString(in));
            }
            return new DenseFeatures(inputs);
        }
        if (id == BagOfWords.CODEC_ID) {
            String input = readString(in);
            BagOfWords.Weighting weighting = BagOfWords.Weighting.fromId(in.readUnsignedByte());
            int ngrams = in.readUnsignedByte();
            int hashBits = in.readUnsignedByte();
            boolean normalize = in.readBoolean();
            int nVocab = in.readInt();
            checkCount(nVocab, 1 << 26);
            checkCount(nVocab * 4L, payloadLength);
            String[] vocab = new String[nVocab];
            for (int i = 0; i < nVocab; i++) {
                vocab[i] = readString(in);
            }
            int nIdf = in.readInt();
            checkCount(nIdf, 1 << 26);
            checkCount(nIdf * 8L, payloadLength);
            double[] idf = nIdf == 0 ? null : new double[nIdf];
            for (int i = 0; i < nIdf; i++) {
                idf[i] = in.readDouble();
            }
            return new BagOfWords(input, weighting, ngrams, hashBits, normalize, vocab, idf);
        }
        throw Errors.corruptPayload("unknown feature function id " + id);
    }

    private static void checkCount(long n, long limit) {
        if (n < 0 || n > limit) {
            throw Errors.corruptPayload("implausible length " + n);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        checkCount(n, MAX_STRING);
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException();
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] payload) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
