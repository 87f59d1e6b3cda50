package io.cartrecovery.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The peer's abandoned carts against ours (the replay's {@code abandoned.jsonl}) on the same input,
 * by cart name ({@code store/cart id}, the derived {@code customer/ID/OPENED_MS} names included).
 *
 * @param ours distinct carts the replay reported abandoned
 * @param oursReports lines of abandoned.jsonl: a cart left again after a return counts twice
 * @param peer distinct carts the peer reported abandoned
 * @param both carts in both
 * @param onlyOurs carts only the replay reported, with up to 5 examples
 * @param onlyPeer carts only the peer reported, with up to 5 examples
 */
record PeerComparison(
        long ours,
        long oursReports,
        long peer,
        long both,
        long onlyOurs,
        long onlyPeer,
        List<String> onlyOursExamples,
        List<String> onlyPeerExamples) {

    static PeerComparison of(Path oursFile, Path peerFile) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        Set<String> ours = new TreeSet<>();
        List<String> lines = Files.readAllLines(oursFile);
        for (String line : lines) {
            if (!line.isBlank()) {
                JsonNode cart = mapper.readTree(line);
                ours.add(cart.path("store_id").asText() + "/" + cart.path("cart_id").asText());
            }
        }
        Set<String> peer = new TreeSet<>(Files.readAllLines(peerFile));
        peer.remove("");
        Set<String> onlyOurs = new TreeSet<>(ours);
        onlyOurs.removeAll(peer);
        Set<String> onlyPeer = new TreeSet<>(peer);
        onlyPeer.removeAll(ours);
        return new PeerComparison(
                ours.size(),
                lines.stream().filter(l -> !l.isBlank()).count(),
                peer.size(),
                ours.size() - onlyOurs.size(),
                onlyOurs.size(),
                onlyPeer.size(),
                onlyOurs.stream().limit(5).toList(),
                onlyPeer.stream().limit(5).toList());
    }

    boolean ran() {
        return ours > 0 || peer > 0;
    }
}
