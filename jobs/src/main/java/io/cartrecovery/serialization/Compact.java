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
 * The compact field encodings of the state formats written by hand: the tracker's value ({@code
 * CartStateSerializer}, format 2), the follow-up's sequences and the assigner's calls ({@link
 * TaskFormat}). These values are kept for days, so their size is most of the job's state
 * (docs/state.md). Numbers as variable-length integers (small counts and time deltas in one or two
 * bytes), times relative to a base, decimals as scale and unscaled long, canonical UUIDs as their
 * 16 bytes.
 */
public final class Compact {
    private Compact() {}

    /** A non-negative or negative long in 1 to 10 bytes, zigzag-encoded, 7 bits each. */
    public static void writeLong(long value, DataOutputView out) throws IOException {
        writeUnsigned((value << 1) ^ (value >> 63), out);
    }

    public static long readLong(DataInputView in) throws IOException {
        long raw = readUnsigned(in);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A count or other non-negative int, 7 bits a byte. */
    public static void writeCount(int value, DataOutputView out) throws IOException {
        writeUnsigned(value & 0xffffffffL, out);
    }

    public static int readCount(DataInputView in) throws IOException {
        return (int) readUnsigned(in);
    }

    private static void writeUnsigned(long value, DataOutputView out) throws IOException {
        while ((value & ~0x7fL) != 0) {
            out.writeByte((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    private static long readUnsigned(DataInputView in) throws IOException {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed number in serialized state");
    }

    /** An event time relative to {@code base}; 0 (none) stays 0 whatever the base. */
    public static void writeTime(long time, long base, DataOutputView out) throws IOException {
        if (time == 0) {
            out.writeByte(0);
        } else {
            long delta = time - base;
            // 1 + zigzag: 0 is kept for "none".
            writeUnsigned(((delta << 1) ^ (delta >> 63)) + 1, out);
        }
    }

    public static long readTime(long base, DataInputView in) throws IOException {
        long raw = readUnsigned(in);
        if (raw == 0) {
            return 0;
        }
        raw -= 1;
        return base + ((raw >>> 1) ^ -(raw & 1));
    }

    /**
     * A string or null. Header: 0 null, 1 a {@link StringValue} follows (any other string, every
     * char kept), 2 a canonical lower-case UUID as its 16 bytes, {@code n + 3} n ASCII bytes.
     */
    public static void writeString(String value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeByte(0);
        } else if (isUuid(value)) {
            out.writeByte(2);
            out.writeLong(
                    hexLong(value, 0, 8) << 32
                            | hexLong(value, 9, 13) << 16
                            | hexLong(value, 14, 18));
            out.writeLong(hexLong(value, 19, 23) << 48 | hexLong(value, 24, 36));
        } else if (ascii(value)) {
            writeCount(value.length() + 3, out);
            out.write(value.getBytes(StandardCharsets.ISO_8859_1));
        } else {
            out.writeByte(1);
            StringValue.writeString(value, out);
        }
    }

    public static String readString(DataInputView in) throws IOException {
        int header = readCount(in);
        switch (header) {
            case 0:
                return null;
            case 1:
                return StringValue.readString(in);
            case 2:
                return uuid(in.readLong(), in.readLong());
            default:
                byte[] bytes = new byte[header - 3];
                in.readFully(bytes);
                return new String(bytes, StandardCharsets.ISO_8859_1);
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

    /** 8-4-4-4-12 lower-case hex digits: the form that reads back the same from 16 bytes. */
    public static boolean isUuid(String value) {
        if (value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static long hexLong(String value, int from, int to) {
        long result = 0;
        for (int i = from; i < to; i++) {
            result = result << 4 | Character.digit(value.charAt(i), 16);
        }
        return result;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String uuid(long high, long low) {
        char[] chars = new char[36];
        hex(high >>> 32, 8, chars, 0);
        chars[8] = '-';
        hex(high >>> 16, 4, chars, 9);
        chars[13] = '-';
        hex(high, 4, chars, 14);
        chars[18] = '-';
        hex(low >>> 48, 4, chars, 19);
        chars[23] = '-';
        hex(low, 12, chars, 24);
        return new String(chars);
    }

    private static void hex(long value, int digits, char[] chars, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            chars[at + i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
    }

    /**
     * An enum constant or null in one byte: 0 for null, else 1 + its position in {@code names}, a
     * list fixed by the format (append-only: the byte must mean the same constant after the enum's
     * constants are reordered); a constant missing from it by name after a 255.
     */
    public static void writeEnum(Enum<?> value, List<String> names, DataOutputView out)
            throws IOException {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        int code = names.indexOf(value.name());
        if (code >= 0 && code < 254) {
            out.writeByte(code + 1);
        } else {
            out.writeByte(255);
            writeString(value.name(), out);
        }
    }

    public static <E extends Enum<E>> E readEnum(
            Class<E> type, List<String> names, DataInputView in) throws IOException {
        int code = in.readUnsignedByte();
        if (code == 0) {
            return null;
        }
        return Enum.valueOf(type, code == 255 ? readString(in) : names.get(code - 1));
    }

    /** The codes of format 2: append new constants, never reorder. */
    public static final List<String> STAGES = List.of("CART", "CHECKOUT", "SHIPPING", "PAYMENT");

    public static final List<String> REASONS =
            List.of("PAYMENT_PROBLEM", "UNEXPECTED_COSTS", "COMPLICATED_CHECKOUT", "UNKNOWN");

    public static final List<String> EVENT_TYPES =
            List.of(
                    "PAGE_VIEW",
                    "PRODUCT_VIEW",
                    "ADD_TO_CART",
                    "REMOVE_FROM_CART",
                    "CART_VIEW",
                    "CHECKOUT_START",
                    "CHECKOUT_ERROR",
                    "SHIPPING_INFO",
                    "PAYMENT_INFO",
                    "PAYMENT_FAILED",
                    "PURCHASE",
                    "IDENTIFY");

    /**
     * An exact decimal or null. Header: 0 null, 1 scale and unscaled value as variable-length longs
     * (any price), 2 scale, length and the unscaled digits' bytes (beyond a long).
     */
    public static void writeDecimal(BigDecimal value, DataOutputView out) throws IOException {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        BigInteger unscaled = value.unscaledValue();
        if (unscaled.bitLength() < 64) {
            out.writeByte(1);
            writeLong(value.scale(), out);
            writeLong(unscaled.longValue(), out);
        } else {
            out.writeByte(2);
            writeLong(value.scale(), out);
            byte[] bytes = unscaled.toByteArray();
            writeCount(bytes.length, out);
            out.write(bytes);
        }
    }

    public static BigDecimal readDecimal(DataInputView in) throws IOException {
        int header = in.readUnsignedByte();
        switch (header) {
            case 0:
                return null;
            case 1:
                int scale = (int) readLong(in);
                return BigDecimal.valueOf(readLong(in), scale);
            case 2:
                int bigScale = (int) readLong(in);
                byte[] bytes = new byte[readCount(in)];
                in.readFully(bytes);
                return new BigDecimal(new BigInteger(bytes), bigScale);
            default:
                throw new IOException("malformed decimal in serialized state");
        }
    }

    /** Cart lines, never null; quantities are never negative in a cart or an event. */
    public static void writeLines(List<CartLine> lines, DataOutputView out) throws IOException {
        writeCount(lines.size(), out);
        for (CartLine line : lines) {
            writeString(line.productId(), out);
            writeString(line.name(), out);
            writeLong(line.quantity(), out);
            writeDecimal(line.unitPrice(), out);
        }
    }

    /**
     * @param mutable whether the caller changes the list (a cart's lines) or not (an event's)
     */
    public static List<CartLine> readLines(DataInputView in, boolean mutable) throws IOException {
        int size = readCount(in);
        if (size == 0 && !mutable) {
            return List.of();
        }
        List<CartLine> lines = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            lines.add(
                    new CartLine(
                            readString(in), readString(in), (int) readLong(in), readDecimal(in)));
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

    /** Hashes (no gain from a variable length): a count, then 4 bytes each; null kept. */
    public static void writeInts(int[] values, DataOutputView out) throws IOException {
        writeCount(values == null ? 0 : values.length + 1, out);
        if (values != null) {
            for (int value : values) {
                out.writeInt(value);
            }
        }
    }

    public static int[] readInts(DataInputView in) throws IOException {
        int header = readCount(in);
        if (header == 0) {
            return null;
        }
        int[] values = new int[header - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    /** Times, each relative to the one before (the first to {@code base}); null kept. */
    public static void writeTimes(long[] times, long base, DataOutputView out) throws IOException {
        writeCount(times == null ? 0 : times.length + 1, out);
        if (times != null) {
            long previous = base;
            for (long time : times) {
                writeLong(time - previous, out);
                previous = time;
            }
        }
    }

    public static long[] readTimes(long base, DataInputView in) throws IOException {
        int header = readCount(in);
        if (header == 0) {
            return null;
        }
        long[] times = new long[header - 1];
        long previous = base;
        for (int i = 0; i < times.length; i++) {
            previous += readLong(in);
            times[i] = previous;
        }
        return times;
    }
}
