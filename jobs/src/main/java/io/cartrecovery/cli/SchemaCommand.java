package io.cartrecovery.cli;

import io.cartrecovery.clickhouse.ClickHouseHttp;
import io.cartrecovery.clickhouse.Migration;
import io.cartrecovery.clickhouse.Migrations;
import io.cartrecovery.clickhouse.SchemaMigrator;
import io.cartrecovery.config.ClickHouseOptions;
import io.cartrecovery.config.ClickHouseSettings;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "schema",
        mixinStandardHelpOptions = true,
        description = "The ClickHouse schema of the facts (sql/clickhouse/, docs/clickhouse.md).",
        subcommands = SchemaCommand.Apply.class)
public final class SchemaCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: apply");
    }

    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description = {
                "Create the database and apply the migrations it lacks, in order; each is recorded"
                        + " in schema_migrations and never applied twice.",
                "Fails, changing nothing, when an applied migration was edited since."
            })
    static final class Apply implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin SettingsMixin settings;

        @Option(
                names = "--clickhouse-url",
                paramLabel = "URL",
                description = "ClickHouse HTTP address; same as -D clickhouse.url=URL.")
        String clickhouseUrl;

        @Override
        public Integer call() {
            if (clickhouseUrl != null) {
                settings.overrides().put(ClickHouseOptions.URL.key(), clickhouseUrl);
            }
            ClickHouseSettings clickhouse =
                    ClickHouseSettings.from(settings.load())
                            .orElseThrow(
                                    () ->
                                            new UsageProblem(
                                                    "where is ClickHouse? Give --clickhouse-url"
                                                            + " URL or set "
                                                            + ClickHouseOptions.URL.key()));
            SchemaMigrator.Outcome outcome =
                    new SchemaMigrator(new ClickHouseHttp(clickhouse), clickhouse.database())
                            .apply(Migrations.bundled());
            PrintWriter out = spec.commandLine().getOut();
            for (Migration migration : outcome.applied()) {
                out.printf(
                        "applied %s (%d statements)%n",
                        migration.file(), migration.statements().size());
            }
            out.printf(
                    "%s at %s: %s%n",
                    clickhouse.database(),
                    clickhouse.url(),
                    outcome.applied().isEmpty()
                            ? "up to date, "
                                    + outcome.alreadyApplied()
                                    + " migrations applied before"
                            : outcome.applied().size()
                                    + " migrations applied now, "
                                    + outcome.alreadyApplied()
                                    + " before");
            out.flush();
            return 0;
        }
    }
}
