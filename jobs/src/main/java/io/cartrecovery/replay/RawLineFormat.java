package io.cartrecovery.replay;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * The replay file's lines as bytes ({@link LineReader}), for the file source: Flink's text line
 * format decodes them first, which turns a bad byte into U+FFFD and loses the record's bytes.
 */
final class RawLineFormat extends SimpleStreamFormat<RawLine> {
    private static final long serialVersionUID = 1L;

    private final int maxBytes;

    /**
     * @param maxBytes the longest line kept whole: the input's record limit
     */
    RawLineFormat(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public StreamFormat.Reader<RawLine> createReader(
            Configuration config, FSDataInputStream stream) {
        LineReader lines = new LineReader(stream, maxBytes);
        return new StreamFormat.Reader<>() {
            @Override
            public RawLine read() throws IOException {
                return lines.next();
            }

            @Override
            public void close() throws IOException {
                stream.close();
            }
        };
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }
}
