package io.cartrecovery.clickhouse;

import io.cartrecovery.config.ClickHouseSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Statements and queries over ClickHouse's HTTP interface, each with an explicit {@code FORMAT}
 * when it returns rows. Used for the schema, where JDBC is no help: clickhouse-jdbc 0.10 cannot
 * read results from ClickHouse 18.16.
 */
public final class ClickHouseHttp {
    private final String url;
    private final String user;
    private final String password;
    private final Duration timeout;
    private final HttpClient client;

    public ClickHouseHttp(ClickHouseSettings settings) {
        this.url = settings.url();
        this.user = settings.user();
        this.password = settings.password();
        this.timeout = settings.requestTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public String url() {
        return url;
    }

    /**
     * Runs one statement and returns the response body.
     *
     * @param database the database unqualified names refer to, or null for the server's default
     * @throws ClickHouseException when ClickHouse cannot be reached or refuses the statement
     */
    public String execute(String database, String sql) {
        String query =
                database == null
                        ? "/"
                        : "/?database=" + URLEncoder.encode(database, StandardCharsets.UTF_8);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url + query))
                        .timeout(timeout)
                        .header("X-ClickHouse-User", user)
                        .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
        if (!password.isEmpty()) {
            request.header("X-ClickHouse-Key", password);
        }
        HttpResponse<String> response;
        try {
            response =
                    client.send(
                            request.build(),
                            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ClickHouseException(
                    "ClickHouse at "
                            + url
                            + " did not answer within "
                            + timeout.toSeconds()
                            + " s");
        } catch (IOException e) {
            throw new ClickHouseException("cannot reach ClickHouse at " + url + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClickHouseException("interrupted while talking to ClickHouse at " + url);
        }
        if (response.statusCode() != 200) {
            throw new ClickHouseException(
                    "ClickHouse at "
                            + url
                            + " refused '"
                            + abbreviate(sql)
                            + "': "
                            + (response.body().isBlank()
                                    ? "HTTP " + response.statusCode()
                                    : firstLine(response.body())));
        }
        return response.body();
    }

    /** The first exception message down the cause chain; the JDK's are often null at the top. */
    private static String reason(Throwable e) {
        Throwable deepest = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host";
            }
            if (t instanceof ConnectException && t.getMessage() == null) {
                return "connection refused";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return firstLine(t.getMessage());
            }
            deepest = t;
        }
        return deepest.getClass().getSimpleName();
    }

    private static String abbreviate(String sql) {
        String line = sql.strip().replaceAll("\\s+", " ");
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }
}
