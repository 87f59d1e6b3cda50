package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The peer's abandoned carts against ours (the replay's {@code abandoned.jsonl}) on the same input,
 * by cart name ({@code store/cart id}, the derived {@code customer/ID/OPENED_MS} names included). A
 * cart found by one side only whose last activity lies within {@code endWindow} of the input's last
 * event is counted apart: there the two decide by design at different moments.
 *
 * @param ours distinct carts the replay reported abandoned
 * @param oursReports lines of abandoned.jsonl: a cart left again after a return counts twice
 * @param peer distinct carts the peer reported abandoned
 * @param both carts in both
 * @param onlyOurs carts only the replay reported, end of input included
 * @param onlyOursAtEnd of those, the ones within the end window
 * @param onlyPeer carts only the peer reported, end of input included
 * @param onlyPeerAtEnd of those, the ones within the end window
 * @param onlyOursExamples up to 5 carts only the replay reported, away from the end
 * @param onlyPeerExamples up to 5 carts only the peer reported, away from the end
 */
record PeerComparison(
        long ours,
        long oursReports,
        long peer,
        long both,
        long onlyOurs,
        long onlyOursAtEnd,
        long onlyPeer,
        long onlyPeerAtEnd,
        List<String> onlyOursExamples,
        List<String> onlyPeerExamples) {

    static PeerComparison of(Path oursFile, Path peerFile, Duration endWindow, long lastEventTime)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        // Name to last activity; a cart reported twice keeps its latest.
        Map<String, Long> ours = new TreeMap<>();
        long oursReports = 0;
        for (String line : Files.readAllLines(oursFile)) {
            if (!line.isBlank()) {
                JsonNode cart = mapper.readTree(line);
                ours.merge(
                        cart.path("store_id").asText() + "/" + cart.path("cart_id").asText(),
                        Instant.parse(cart.path("abandoned_at").asText()).toEpochMilli(),
                        Math::max);
                oursReports++;
            }
        }
        Map<String, Long> peer = new TreeMap<>();
        for (String line : Files.readAllLines(peerFile)) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                peer.merge(
                        line.substring(0, tab), Long.parseLong(line.substring(tab + 1)), Math::max);
            }
        }
        long endStart = lastEventTime - endWindow.toMillis();
        Side onlyOurs = Side.of(ours, peer, endStart);
        Side onlyPeer = Side.of(peer, ours, endStart);
        return new PeerComparison(
                ours.size(),
                oursReports,
                peer.size(),
                ours.size() - onlyOurs.total(),
                onlyOurs.total(),
                onlyOurs.atEnd(),
                onlyPeer.total(),
                onlyPeer.atEnd(),
                onlyOurs.examples(),
                onlyPeer.examples());
    }

    private record Side(long total, long atEnd, List<String> examples) {
        /** The carts of {@code one} missing from {@code other}. */
        static Side of(Map<String, Long> one, Map<String, Long> other, long endStart) {
            List<Map.Entry<String, Long>> missing =
                    one.entrySet().stream().filter(e -> !other.containsKey(e.getKey())).toList();
            long atEnd = missing.stream().filter(e -> e.getValue() >= endStart).count();
            List<String> examples =
                    missing.stream()
                            .filter(e -> e.getValue() < endStart)
                            .map(Map.Entry::getKey)
                            .limit(5)
                            .toList();
            return new Side(missing.size(), atEnd, examples);
        }
    }
}
