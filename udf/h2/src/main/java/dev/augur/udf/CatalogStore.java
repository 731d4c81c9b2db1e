package dev.augur.udf;

import dev.augur.engine.AugurException;
import dev.augur.engine.Errors;
import dev.augur.engine.Names;
import dev.augur.engine.codec.ModelCache;
import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.features.BagOfWords;
import dev.augur.engine.model.Model;
import dev.augur.engine.model.ModelKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The model catalog in schema AUGUR, read and written through the caller's connection so that every change
 * joins the caller's transaction (a failed migration or a rolled-back deploy leaves nothing behind).
 * Plain SQL that means the same on H2 and PostgreSQL.
 */
public final class CatalogStore {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Connection conn;

    public CatalogStore(Connection conn) {
        this.conn = conn;
    }

    /** A model version and the SHA-256 of its payload. */
    public record VersionRef(String name, int version, String sha256) {
    }

    /** Stores a new version of {@code model} (not deployed) and returns its version number. */
    public int register(Model model, String source, String trainingOptions) throws SQLException {
        byte[] payload = ModelCodec.encode(model);
        String sha = ModelCodec.sha256(payload);
        int version;
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT COALESCE(MAX(VERSION), 0) + 1 FROM AUGUR.MODELS WHERE NAME = ?")) {
            ps.setString(1, model.name());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                version = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.MODELS (NAME, VERSION, KIND, INPUTS, CLASSES, SPEC,"
                + " SHA256, PAYLOAD_BYTES, SOURCE, INTERVAL_SOURCE) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, model.name());
            ps.setInt(2, version);
            ps.setString(3, model.kind().sqlName());
            ps.setString(4, String.join(",", model.inputs()));
            ps.setString(5, model.classes().isEmpty() ? null : String.join(",", model.classes()));
            ps.setString(6, spec(model, trainingOptions));
            ps.setString(7, sha);
            ps.setInt(8, payload.length);
            ps.setString(9, source);
            ps.setString(10, intervalSource(model.kind(), false));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO AUGUR.MODEL_PAYLOADS (NAME, VERSION, PAYLOAD) VALUES (?, ?, ?)")) {
            ps.setString(1, model.name());
            ps.setInt(2, version);
            ps.setBytes(3, payload);
            ps.executeUpdate();
        }
        ModelCache.get(model.name(), version, sha, () -> model);
        return version;
    }

    /**
     * What answers PREDICT_INTERVAL for a version of {@code kind}: a calibrated regressor's conformal interval, else an
     * uncalibrated one's own (Bayesian, quantile: 'model'); null where it has none (a classifier, an uncalibrated plain
     * regressor). AUGUR.MODELS.INTERVAL_SOURCE.
     */
    static String intervalSource(ModelKind kind, boolean calibrated) {
        if (kind.isClassifier()) {
            return null;
        }
        return calibrated ? "conformal" : kind.hasModelInterval() ? "model" : null;
    }

    /** A human-readable summary of the model, stored beside the payload for BI tools and reviews. */
    static String spec(Model m, String trainingOptions) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("kind", m.kind().sqlName());
        ArrayNode inputs = root.putArray("inputs");
        m.inputs().forEach(inputs::add);
        ObjectNode f = root.putObject("features");
        if (m.features() instanceof BagOfWords bow) {
            f.put("type", "bag_of_words");
            f.put("weighting", bow.weighting().sqlName());
            f.put("ngrams", bow.ngrams());
            f.put("hash_bits", bow.hashBits());
            f.put("normalize", bow.normalize());
        } else {
            f.put("type", "dense");
        }
        root.put("dimension", m.dimension());
        ArrayNode classes = root.putArray("classes");
        m.classes().forEach(classes::add);
        if (trainingOptions != null && !trainingOptions.isBlank()) {
            try {
                root.set("training_options", MAPPER.readTree(trainingOptions));
            } catch (Exception e) {
                root.put("training_options", trainingOptions);
            }
        }
        return root.toString();
    }

    /** The deployed version of a model, or null when none is deployed. */
    public VersionRef deployed(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT VERSION, SHA256 FROM AUGUR.DEPLOYED WHERE NAME = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new VersionRef(name, rs.getInt(1), rs.getString(2)) : null;
            }
        }
    }

    /** A version of a model, or a clear 42704 naming what exists. */
    public VersionRef version(String name, int version) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT SHA256 FROM AUGUR.MODELS WHERE NAME = ? AND VERSION = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new VersionRef(name, version, rs.getString(1));
                }
            }
        }
        List<Integer> versions = versions(name);
        if (versions.isEmpty()) {
            throw Errors.unknownModel(name, modelNames());
        }
        throw Errors.unknownVersion(name, version, versions);
    }

    /** The deployed version, or a clear 42704 (unknown model, or known but not deployed). */
    public VersionRef requireDeployed(String name) throws SQLException {
        VersionRef ref = deployed(name);
        if (ref != null) {
            return ref;
        }
        List<Integer> versions = versions(name);
        if (versions.isEmpty()) {
            throw Errors.unknownModel(name, modelNames());
        }
        throw Errors.notDeployed(name, versions);
    }

    /** Resolves {@code name} (deployed) or {@code name@version} (pinned). */
    public VersionRef resolve(String ref) throws SQLException {
        if (ref == null) {
            throw Errors.invalidParameter("the model name is NULL; pass a model name such as 'spam' or 'spam@2'");
        }
        int at = ref.indexOf('@');
        if (at < 0) {
            return requireDeployed(Names.checkModelName(ref));
        }
        String name = Names.checkModelName(ref.substring(0, at));
        int version;
        try {
            version = Integer.parseInt(ref.substring(at + 1));
        } catch (NumberFormatException e) {
            throw Errors.invalidParameter("bad model reference '" + ref + "': write 'name' or 'name@version', e.g. '"
                    + name + "@2'");
        }
        return version(name, version);
    }

    /** The model of a version, decoded once per process and checked against its SHA-256. */
    public Model load(VersionRef ref) {
        return ModelCache.get(ref.name(), ref.version(), ref.sha256(), () -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT PAYLOAD FROM AUGUR.MODEL_PAYLOADS WHERE NAME = ? AND VERSION = ?")) {
                ps.setString(1, ref.name());
                ps.setInt(2, ref.version());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw Errors.corruptPayload("the payload of model '" + ref.name() + "' version " + ref.version()
                                + " is missing");
                    }
                    return ModelCodec.decode(rs.getBytes(1), ref.sha256(), ref.name(), ref.version());
                }
            } catch (SQLException e) {
                throw new AugurException(e.getSQLState() == null ? Errors.IO_ERROR : e.getSQLState(), e.getMessage(), e);
            }
        });
    }

    public List<Integer> versions(String name) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT VERSION FROM AUGUR.MODELS WHERE NAME = ? ORDER BY VERSION")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
        }
        return out;
    }

    public List<String> modelNames() throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT DISTINCT NAME FROM AUGUR.MODELS ORDER BY NAME");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Points the model at {@code version} and records the deployment; returns the version. */
    public int deploy(String name, int version) throws SQLException {
        VersionRef target = version(Names.checkModelName(name), version);
        // decoding checks the payload before anyone can PREDICT with it
        load(target);
        VersionRef current = deployed(target.name());
        if (current != null && current.version() == version) {
            return version;
        }
        setDeployed(target, current == null);
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.DEPLOYMENTS"
                + " (NAME, VERSION, PREVIOUS_VERSION, ACTION) VALUES (?, ?, ?, 'deploy')")) {
            ps.setString(1, target.name());
            ps.setInt(2, version);
            if (current == null) {
                ps.setNull(3, java.sql.Types.INTEGER);
            } else {
                ps.setInt(3, current.version());
            }
            ps.executeUpdate();
        }
        return version;
    }

    private void setDeployed(VersionRef target, boolean insert) throws SQLException {
        String sql = insert
                ? "INSERT INTO AUGUR.DEPLOYED (VERSION, SHA256, DEPLOYED_AT, DEPLOYED_BY, NAME) VALUES (?, ?, CURRENT_TIMESTAMP, CURRENT_USER, ?)"
                : "UPDATE AUGUR.DEPLOYED SET VERSION = ?, SHA256 = ?, DEPLOYED_AT = CURRENT_TIMESTAMP, DEPLOYED_BY = CURRENT_USER WHERE NAME = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setInt(1, target.version());
            ps.setString(2, target.sha256());
            ps.setString(3, target.name());
            ps.executeUpdate();
        }
    }

    /**
     * Undoes the latest deployment that is still in force and deploys the one before it; returns the version
     * now deployed. Rolling back repeatedly walks back through the deployment history.
     */
    public int rollback(String rawName) throws SQLException {
        String name = Names.checkModelName(rawName);
        List<long[]> active = new ArrayList<>(); // (id, version), newest first
        try (PreparedStatement ps = conn.prepareStatement("SELECT ID, VERSION FROM AUGUR.DEPLOYMENTS"
                + " WHERE NAME = ? AND ACTION = 'deploy' AND NOT ROLLED_BACK ORDER BY ID DESC")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    active.add(new long[]{rs.getLong(1), rs.getInt(2)});
                }
            }
        }
        VersionRef current = deployed(name);
        if (current == null) {
            requireDeployed(name);
        }
        if (active.size() < 2) {
            throw new AugurException(Errors.NOT_IN_PREREQUISITE_STATE, "model '" + name + "' has no earlier deployment to roll back to"
                    + " (version " + current.version() + " is its first); deploy another version with AUGUR.DEPLOY_MODEL");
        }
        int previous = (int) active.get(1)[1];
        VersionRef target = version(name, previous);
        load(target);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE AUGUR.DEPLOYMENTS SET ROLLED_BACK = TRUE WHERE ID = ?")) {
            ps.setLong(1, active.get(0)[0]);
            ps.executeUpdate();
        }
        setDeployed(target, false);
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO AUGUR.DEPLOYMENTS"
                + " (NAME, VERSION, PREVIOUS_VERSION, ACTION) VALUES (?, ?, ?, 'rollback')")) {
            ps.setString(1, name);
            ps.setInt(2, previous);
            ps.setInt(3, current.version());
            ps.executeUpdate();
        }
        return previous;
    }

    /** Drops every version of a model and its deployment history; returns the number of versions dropped. */
    public int drop(String rawName) throws SQLException {
        String name = Names.checkModelName(rawName);
        List<Integer> versions = versions(name);
        if (versions.isEmpty()) {
            throw Errors.unknownModel(name, modelNames());
        }
        for (String table : new String[]{"DEPLOYED", "DEPLOYMENTS", "MODEL_PAYLOADS", "MODELS"}) {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM AUGUR." + table + " WHERE NAME = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        }
        return versions.size();
    }

    /** JSON of a version; without one, the deployed version, else the latest. */
    public String export(String rawName, Integer version) throws SQLException {
        String name = Names.checkModelName(rawName);
        VersionRef ref;
        if (version != null) {
            ref = version(name, version);
        } else {
            ref = deployed(name);
            if (ref == null) {
                List<Integer> versions = versions(name);
                if (versions.isEmpty()) {
                    throw Errors.unknownModel(name, modelNames());
                }
                ref = version(name, versions.get(versions.size() - 1));
            }
        }
        return ModelJson.toJson(load(ref));
    }

    /** The latest version of a model (for DEPLOY MODEL without a version). */
    public int latest(String rawName) throws SQLException {
        String name = Names.checkModelName(rawName);
        List<Integer> versions = versions(name);
        if (versions.isEmpty()) {
            throw Errors.unknownModel(name, modelNames());
        }
        return versions.get(versions.size() - 1);
    }
}
