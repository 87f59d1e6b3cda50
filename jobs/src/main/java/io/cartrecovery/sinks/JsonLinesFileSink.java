package io.cartrecovery.sinks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Writes one JSON document per line to local files, for replays: subtask N writes {@code
 * FILE.partN}; {@link #mergeParts} joins them into FILE once the job is done. Not transactional: a
 * replay that fails is simply run again.
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private static final String PART = ".part";

    private final String file;
    private final SerializableFunction<T, byte[]> toJson;

    public JsonLinesFileSink(Path file, SerializableFunction<T, byte[]> toJson) {
        this.file = file.toString();
        this.toJson = toJson;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Path part = Paths.get(file + PART + context.getTaskInfo().getIndexOfThisSubtask());
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(part));
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws IOException {
                out.write(toJson.apply(element));
                out.write('\n');
            }

            @Override
            public void flush(boolean endOfInput) throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    /** Concatenates the part files of {@code file} into it, and removes them. */
    public static void mergeParts(Path file) throws IOException {
        String prefix = file.getFileName() + PART;
        try (OutputStream out = Files.newOutputStream(file);
                Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
            List<Path> parts =
                    siblings.filter(p -> p.getFileName().toString().startsWith(prefix))
                            .sorted()
                            .toList();
            for (Path part : parts) {
                Files.copy(part, out);
                Files.delete(part);
            }
        }
    }
}
