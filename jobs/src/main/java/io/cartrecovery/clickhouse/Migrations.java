package io.cartrecovery.clickhouse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The schema migrations shipped with this build: the files of the repository's {@code
 * sql/clickhouse/}, which the build copies onto the class path.
 */
public final class Migrations {
    private static final String RESOURCE_DIR = "sql/clickhouse";

    private Migrations() {}

    /** Every migration, ordered by version. */
    public static List<Migration> bundled() {
        URL dir = Migrations.class.getClassLoader().getResource(RESOURCE_DIR);
        if (dir == null) {
            throw new IllegalStateException(RESOURCE_DIR + " is not on the class path");
        }
        try {
            URI uri = dir.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.provider().getPath(uri));
                }
            }
            return read(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate " + dir, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the migrations in " + dir, e);
        }
    }

    private static List<Migration> read(Path dir) throws IOException {
        List<Migration> migrations = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".sql")) {
                    // Migration.of rejects a misnamed file rather than leave it unapplied.
                    migrations.add(
                            Migration.of(name, Files.readString(file, StandardCharsets.UTF_8)));
                }
            }
        }
        migrations.sort(Comparator.comparingInt(Migration::version));
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() == migrations.get(i - 1).version()) {
                throw new IllegalStateException(
                        migrations.get(i - 1).file()
                                + " and "
                                + migrations.get(i).file()
                                + " have the same number");
            }
        }
        return migrations;
    }
}
