package io.cartrecovery.clickhouse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of {@code sql/clickhouse/}: {@code NNNN_what.sql}, statements separated by {@code ;}.
 *
 * @param version the file's number; migrations are applied in this order
 * @param file the file name
 * @param sql the file's text
 * @param checksum SHA-256 of the text with {@code \n} line ends, so a checkout with other line ends
 *     does not look edited
 */
public record Migration(int version, String file, String sql, String checksum) {
    private static final Pattern NAME = Pattern.compile("(\\d{4})_[a-z0-9_]+\\.sql");
    private static final Pattern SUPERSEDES =
            Pattern.compile("(?m)^-- supersedes checksum ([0-9a-f]{64})[ \\t]*\\r?$");

    public static Migration of(String file, String sql) {
        Matcher name = NAME.matcher(file);
        if (!name.matches()) {
            throw new IllegalArgumentException(file + " is not named NNNN_what.sql");
        }
        return new Migration(Integer.parseInt(name.group(1)), file, sql, checksum(sql));
    }

    private static String checksum(String sql) {
        try {
            byte[] text = sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Checksums of earlier texts of this file that a database may have recorded instead of {@link
     * #checksum}. A released migration is amended only when it cannot run as it is somewhere (e.g.
     * on a newer ClickHouse) and the amendment changes nothing where it ran; the file then says so
     * and names each earlier text's checksum on a line {@code -- supersedes checksum HEX}.
     */
    public Set<String> supersededChecksums() {
        Set<String> checksums = new LinkedHashSet<>();
        Matcher line = SUPERSEDES.matcher(sql);
        while (line.find()) {
            checksums.add(line.group(1));
        }
        return checksums;
    }

    /**
     * The statements, without comments. Quotes are respected, so a {@code ;} or {@code --} inside a
     * string or a quoted name does not split or cut anything.
     */
    public List<String> statements() {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
                current.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                int end = closingQuote(c, i + 1);
                current.append(sql, i, end);
                i = end;
            } else if (c == ';') {
                add(statements, current);
                i++;
            } else {
                current.append(c);
                i++;
            }
        }
        add(statements, current);
        return statements;
    }

    /** Index just past the quote that closes one opened before {@code from}. */
    private int closingQuote(char quote, int from) {
        int i = from;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        throw new IllegalArgumentException(file + ": a " + quote + " quote is not closed");
    }

    private static void add(List<String> statements, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            statements.add(statement);
        }
        current.setLength(0);
    }
}
