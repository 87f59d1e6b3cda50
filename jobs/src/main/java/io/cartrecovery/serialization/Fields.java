package io.cartrecovery.serialization;

import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ContactDetails;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Reading and writing the fields the hand-written serializers share: nullable strings, enums by
 * name, exact decimals, cart lines, contact details, arrays. Every reader is the exact mirror of
 * its writer; a change of either is a new serializer version (the snapshots say which).
 */
public final class Fields {
    private Fields() {}

    /**
     * A string or null. Ids, codes and most names are ASCII: those are written as their bytes,
     * which the JDK copies in bulk both ways, where {@link StringValue} (Flink's string format)
     * encodes and decodes char by char and was most of what reading an event cost. Any other string
     * goes through {@link StringValue}, which keeps every char exactly, unpaired surrogates
     * included. The header says which: 0 null, 1 a {@link StringValue} follows, {@code n + 2} n
     * ASCII bytes.
     */
    public static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            writeVarInt(0, out);
            return;
        }
        if (ascii(value)) {
            writeVarInt(value.length() + 2, out);
            out.write(value.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            writeVarInt(1, out);
            StringValue.writeString(value, out);
        }
    }

    private static boolean ascii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    public static String readString(DataInputView in) throws IOException {
        int header = readVarInt(in);
        if (header == 0) {
            return null;
        }
        if (header == 1) {
            return StringValue.readString(in);
        }
        byte[] bytes = new byte[header - 2];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** A non-negative int in 1 to 5 bytes, 7 bits each, the lowest first. */
    static void writeVarInt(int value, DataOutputView out) throws IOException {
        while ((value & ~0x7f) != 0) {
            out.writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    static int readVarInt(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed length in serialized state");
    }

    /** An enum constant or null, by name: reordering the constants changes nothing stored. */
    public static void writeEnum(Enum<?> value, DataOutputView out) throws IOException {
        writeString(value == null ? null : value.name(), out);
    }

    public static <E extends Enum<E>> E readEnum(Class<E> type, DataInputView in)
            throws IOException {
        String name = readString(in);
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** An exact decimal or null: its scale and unscaled digits, never a float. */
    public static void writeDecimal(BigDecimal value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        out.writeInt(value.scale());
        byte[] unscaled = value.unscaledValue().toByteArray();
        out.writeInt(unscaled.length);
        out.write(unscaled);
    }

    public static BigDecimal readDecimal(DataInputView in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readInt()];
        in.readFully(unscaled);
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    /** Cart lines, never null (an empty list reads back as an empty, unmodifiable list). */
    public static void writeLines(List<CartLine> lines, DataOutputView out) throws IOException {
        out.writeInt(lines.size());
        for (CartLine line : lines) {
            writeString(line.productId(), out);
            writeString(line.name(), out);
            out.writeInt(line.quantity());
            writeDecimal(line.unitPrice(), out);
        }
    }

    /**
     * @param mutable whether the caller changes the list (a cart's lines) or not (an event's)
     */
    public static List<CartLine> readLines(DataInputView in, boolean mutable) throws IOException {
        int size = in.readInt();
        if (size == 0 && !mutable) {
            return List.of();
        }
        List<CartLine> lines = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            lines.add(new CartLine(readString(in), readString(in), in.readInt(), readDecimal(in)));
        }
        return mutable ? lines : List.copyOf(lines);
    }

    public static void writeContact(ContactDetails contact, DataOutputView out) throws IOException {
        if (contact == null) {
            out.writeBoolean(false);
            return;
        }
        out.writeBoolean(true);
        writeString(contact.name(), out);
        writeString(contact.email(), out);
        writeString(contact.phone(), out);
    }

    public static ContactDetails readContact(DataInputView in) throws IOException {
        return in.readBoolean()
                ? new ContactDetails(readString(in), readString(in), readString(in))
                : null;
    }

    /** A long array or null. */
    public static void writeLongs(long[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (long value : values) {
                out.writeLong(value);
            }
        }
    }

    public static long[] readLongs(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        long[] values = new long[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    /** An int array or null. */
    public static void writeInts(int[] values, DataOutputView out) throws IOException {
        out.writeInt(values == null ? -1 : values.length);
        if (values != null) {
            for (int value : values) {
                out.writeInt(value);
            }
        }
    }

    public static int[] readInts(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        int[] values = new int[length];
        for (int i = 0; i < length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }
}
