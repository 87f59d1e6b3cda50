package io.cartrecovery.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FieldsTest {
    private static String roundTrip(String value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        Fields.writeString(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        String read = Fields.readString(in);
        assertThat(in.available()).isZero();
        return read;
    }

    @Test
    void nullEmptyAsciiAndEverythingElseComeBackExactly() throws IOException {
        for (String value :
                new String[] {
                    null,
                    "",
                    "evt-7f3a9c2e-1b4d",
                    "Müsli «bio» 500 g",
                    "名前",
                    "emoji " + new String(Character.toChars(0x1F600)),
                    "unpaired " + (char) 0xD800 + " surrogate",
                    "x".repeat(100_000)
                }) {
            assertThat(roundTrip(value)).isEqualTo(value);
        }
    }

    @Property(tries = 2_000)
    void anyStringComesBackExactly(@ForAll String value) throws IOException {
        assertThat(roundTrip(value)).isEqualTo(value);
    }

    @Property(tries = 1_000)
    void anyLengthComesBack(@ForAll int any) throws IOException {
        int value = any & Integer.MAX_VALUE;
        DataOutputSerializer out = new DataOutputSerializer(8);
        Fields.writeVarInt(value, out);
        assertThat(Fields.readVarInt(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(value);
    }
}
