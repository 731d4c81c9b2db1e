package dev.augur.migrations;

import dev.augur.engine.codec.ModelCodec;
import dev.augur.engine.codec.ModelJson;
import dev.augur.engine.model.Model;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model file in the migrations folder, {@code V7__spam_model_v3.model.json}: registers the model (named by its
 * JSON) and deploys it. Its Flyway checksum is taken from the model's SHA-256, so editing an applied model file
 * fails Flyway's validation instead of silently serving other weights.
 *
 * <p>Implements {@link JavaMigration} directly: Flyway's BaseJavaMigration would take the version from a class name.
 */
public final class ModelMigration implements JavaMigration {
    static final Pattern FILE = Pattern.compile("V(\\d+(?:[._]\\d+)*)__(.+)\\.model\\.json");

    private final Path file;
    private final MigrationVersion version;
    private final String description;
    private final String json;
    private final String modelName;
    private final String sha256;

    public ModelMigration(Path file) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + " is not named V<version>__<description>.model.json");
        }
        this.file = file;
        this.version = MigrationVersion.fromVersion(m.group(1).replace('_', '.'));
        this.description = m.group(2).replace('_', ' ');
        try {
            this.json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model migration " + file, e);
        }
        Model model = ModelJson.fromJson(json);
        this.modelName = model.name();
        this.sha256 = ModelCodec.sha256(ModelCodec.encode(model));
    }

    static boolean isModelFile(Path p) {
        return FILE.matcher(p.getFileName().toString()).matches();
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    /** The first four bytes of the model's SHA-256. */
    @Override
    public Integer getChecksum() {
        byte[] b = HexFormat.of().parseHex(sha256.substring(0, 8));
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws Exception {
        int registered;
        try (PreparedStatement ps = context.getConnection().prepareStatement("SELECT AUGUR.IMPORT_MODEL(?, ?)")) {
            ps.setString(1, modelName);
            ps.setString(2, json);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                registered = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = context.getConnection().prepareStatement("SELECT AUGUR.DEPLOY_MODEL(?, ?)")) {
            ps.setString(1, modelName);
            ps.setInt(2, registered);
            ps.executeQuery().close();
        }
    }

    @Override
    public String toString() {
        return "model migration " + file.getFileName();
    }
}
