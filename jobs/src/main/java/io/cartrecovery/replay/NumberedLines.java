package io.cartrecovery.replay;

import io.cartrecovery.events.ClickEventJson;
import io.cartrecovery.ingest.Ingested;
import io.cartrecovery.ingest.SourcePosition;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Parses the lines of one replay file, numbering them for dead-letter positions. Runs with
 * parallelism 1 right after the file source, so line numbers follow the file. Blank lines are
 * skipped but counted.
 */
final class NumberedLines implements FlatMapFunction<String, Ingested> {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final ClickEventJson parser;
    private long line;

    NumberedLines(String file, ClickEventJson parser) {
        this.file = file;
        this.parser = parser;
    }

    @Override
    public void flatMap(String text, Collector<Ingested> out) {
        line++;
        if (text.isBlank()) {
            return;
        }
        out.collect(
                Ingested.parse(
                        parser,
                        text.getBytes(StandardCharsets.UTF_8),
                        SourcePosition.fileLine(file, line),
                        System.currentTimeMillis()));
    }
}
