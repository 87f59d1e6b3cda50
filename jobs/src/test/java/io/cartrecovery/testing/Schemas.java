package io.cartrecovery.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** Validates outputs against the published JSON Schemas in schemas/. */
public final class Schemas {
    private Schemas() {}

    /** The repository's schemas folder, found from the module directory Maven runs tests in. */
    public static Path dir() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("schemas"))) {
                return p.resolve("schemas");
            }
        }
        throw new IllegalStateException("no schemas/ above " + here);
    }

    public static void assertValid(String schemaFile, JsonNode document) {
        assertThat(errors(schemaFile, document)).as(schemaFile + " on " + document).isEmpty();
    }

    /** The document breaks the schema: a shape the contract rules out. */
    public static void assertInvalid(String schemaFile, JsonNode document) {
        assertThat(errors(schemaFile, document)).as(schemaFile + " on " + document).isNotEmpty();
    }

    private static Set<ValidationMessage> errors(String schemaFile, JsonNode document) {
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(dir().resolve(schemaFile))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return schema.validate(document);
    }
}
