package io.cartrecovery.formats;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.cartrecovery.events.CartLine;
import io.cartrecovery.events.ClickEvent;
import io.cartrecovery.events.EventType;
import io.cartrecovery.events.InvalidEventException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rows of the e-commerce behaviour export layout (the REES46 "eCommerce behavior data from multi
 * category store" files and the many data sets copied from them), one row per record, columns in
 * this order: {@code
 * event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session}.
 * Mapping and its reasons: docs/formats/csv.md.
 *
 * <p>The order is fixed rather than read from the header because each Kafka record is decoded on
 * its own, without the file's first line. The layout has no store, currency, cart or order id: the
 * store comes from {@code ingest.store-id}, the currency stays unknown (never assumed), and carts
 * are keyed by the customer ({@code user_id}).
 */
public final class CsvDecoder implements RecordDecoder {
    private static final long serialVersionUID = 1L;

    /** The layout's columns in order; the header row names them. */
    static final List<String> COLUMNS =
            List.of(
                    "event_time",
                    "event_type",
                    "product_id",
                    "category_id",
                    "category_code",
                    "brand",
                    "price",
                    "user_id",
                    "user_session");

    private static final int EVENT_TIME = 0;
    private static final int EVENT_TYPE = 1;
    private static final int PRODUCT_ID = 2;
    private static final int CATEGORY_CODE = 4;
    private static final int BRAND = 5;
    private static final int PRICE = 6;
    private static final int USER_ID = 7;
    private static final int USER_SESSION = 8;

    /** What {@link DecodeOutput#skipped} is told for the header row. */
    static final String HEADER = "header";

    /** Names the missing store in the reason, since no column of this layout could hold it. */
    private static final String STORE_FIELD = "store_id (the CSV layout has no store column)";

    private static final Map<String, EventType> TYPES =
            Map.of(
                    "view", EventType.PRODUCT_VIEW,
                    "cart", EventType.ADD_TO_CART,
                    "remove_from_cart", EventType.REMOVE_FROM_CART,
                    "purchase", EventType.PURCHASE);

    /** "2019-10-01 00:00:00 UTC"; fractions of a second and other zones are read too. */
    private static final DateTimeFormatter EVENT_TIME_FORMAT =
            new DateTimeFormatterBuilder()
                    .appendPattern("uuuu-MM-dd HH:mm:ss")
                    .optionalStart()
                    .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
                    .optionalEnd()
                    .appendLiteral(' ')
                    .appendZoneId()
                    .toFormatter(Locale.ROOT)
                    .withResolverStyle(ResolverStyle.STRICT);

    // Static, so it is not serialized with the decoder into the job graph; readers are immutable
    // and thread-safe. Without a schema every row is read as an array of its fields.
    private static final ObjectReader ROWS =
            new CsvMapper().readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY);

    private final String defaultStoreId;

    /**
     * @param defaultStoreId the store of every row ({@code ingest.store-id}), or null
     */
    public CsvDecoder(String defaultStoreId) {
        this.defaultStoreId = defaultStoreId;
    }

    /** Whether a non-JSON record is a row (or the header) of this layout (for format detection). */
    static boolean looksLike(byte[] payload) {
        try {
            return fields(text(payload)).length == COLUMNS.size();
        } catch (InvalidEventException e) {
            return false;
        }
    }

    @Override
    public void decode(byte[] payload, DecodeOutput out) throws InvalidEventException {
        String row = text(payload);
        String[] fields = fields(row);
        if (fields.length != COLUMNS.size()) {
            throw new InvalidEventException(
                    "expected "
                            + COLUMNS.size()
                            + " columns ("
                            + String.join(",", COLUMNS)
                            + "), found "
                            + fields.length);
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i].strip();
        }
        if (isHeader(fields)) {
            out.skipped(HEADER);
            return;
        }
        // Every column is checked before the type, so only well-formed rows are skipped.
        long eventTime = eventTime(fields[EVENT_TIME]);
        String typeName = required(fields, EVENT_TYPE);
        String productId = required(fields, PRODUCT_ID);
        BigDecimal price = price(fields[PRICE]);
        String userId = required(fields, USER_ID);
        EventType type = TYPES.get(typeName);
        if (type == null) {
            out.skipped(typeName);
            return;
        }
        out.event(
                new ClickEvent(
                        // The layout has no event id: an exactly repeated row is a duplicate.
                        EventIds.derive(Format.CSV.wireName(), row),
                        type,
                        Stores.resolve(null, defaultStoreId, STORE_FIELD),
                        eventTime,
                        null,
                        userId,
                        null,
                        optional(fields[USER_SESSION]),
                        null,
                        List.of(
                                new CartLine(
                                        productId,
                                        name(fields[BRAND], fields[CATEGORY_CODE]),
                                        1,
                                        price)),
                        null,
                        null,
                        null,
                        null));
    }

    /**
     * The record as one line: without its line break (a Kafka record may carry one, a replay line
     * does not, and both must derive the same event id) and without a byte order mark (spreadsheet
     * exports start with one).
     */
    private static String text(byte[] payload) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }

    /** The fields of the record's one row, quotes resolved. */
    private static String[] fields(String row) throws InvalidEventException {
        try (MappingIterator<String[]> rows = ROWS.readValues(row)) {
            if (!rows.hasNextValue()) {
                throw new InvalidEventException("malformed CSV: no row");
            }
            String[] fields = rows.nextValue();
            if (rows.hasNextValue()) {
                throw new InvalidEventException("malformed CSV: more than one row in one record");
            }
            return fields;
        } catch (IOException e) {
            throw new InvalidEventException("malformed CSV: " + firstLine(e.getMessage()));
        }
    }

    private static boolean isHeader(String[] fields) {
        for (int i = 0; i < fields.length; i++) {
            if (!fields[i].equalsIgnoreCase(COLUMNS.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static long eventTime(String value) throws InvalidEventException {
        if (value.isEmpty()) {
            throw missing(EVENT_TIME);
        }
        try {
            return ZonedDateTime.parse(value, EVENT_TIME_FORMAT).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException(
                    "column event_time: '"
                            + value
                            + "' is not a time like 2019-10-01 00:00:00 UTC");
        }
    }

    /** Exact, so "1.30" keeps its scale; an empty price is an unknown one, as in any format. */
    private static BigDecimal price(String value) throws InvalidEventException {
        if (value.isEmpty()) {
            return null;
        }
        BigDecimal price;
        try {
            price = new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new InvalidEventException("column price: '" + value + "' is not a number");
        }
        if (price.signum() < 0) {
            throw new InvalidEventException("column price: '" + value + "' is negative");
        }
        return price;
    }

    /**
     * What a caller can say about the product, e.g. "huawei smartphone" from brand {@code huawei}
     * and category code {@code electronics.smartphone}; null when the row has neither.
     */
    private static String name(String brand, String categoryCode) {
        String category =
                categoryCode.substring(categoryCode.lastIndexOf('.') + 1).replace('_', ' ');
        String name = (brand + " " + category).strip();
        return name.isEmpty() ? null : name;
    }

    private static String required(String[] fields, int column) throws InvalidEventException {
        if (fields[column].isEmpty()) {
            throw missing(column);
        }
        return fields[column];
    }

    private static InvalidEventException missing(int column) {
        return new InvalidEventException("column " + COLUMNS.get(column) + ": missing");
    }

    private static String optional(String value) {
        return value.isEmpty() ? null : value;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
