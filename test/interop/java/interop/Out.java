// The canonical text every scenario prints; scenarios.ts prints the same through kstreams (see README.md).
package interop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;

final class Out {
    private final StringBuilder sb = new StringBuilder();

    void line(final String s) {
        sb.append(s).append('\n');
    }

    void describe(final Topology topology) {
        sb.append(topology.describe().toString());
    }

    /** Bytes as text when every byte is printable ASCII, else 0x-hex; null as null. */
    static String show(final byte[] b) {
        if (b == null) return "null";
        boolean printable = b.length > 0;
        for (final byte x : b) if (x < 0x20 || x > 0x7e) { printable = false; break; }
        return printable ? "\"" + new String(b, StandardCharsets.US_ASCII) + "\"" : "0x" + hex(b);
    }

    static byte[] unhex(final String h) {
        final byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    static String hex(final byte[] b) {
        final StringBuilder h = new StringBuilder();
        for (final byte x : b) h.append(String.format("%02x", x & 0xff));
        return h.toString();
    }

    /** A key or value decoded by a format letter: s string, l long, i int, h hex, tw time-windowed string, sw session-windowed string. */
    static String fmt(final byte[] b, final String f) {
        if (b == null) return "null";
        switch (f) {
            case "s": return new String(b, StandardCharsets.UTF_8);
            case "l": return Long.toString(ByteBuffer.wrap(b).getLong());
            case "i": return Integer.toString(ByteBuffer.wrap(b).getInt());
            case "tw": return new String(b, 0, b.length - 8, StandardCharsets.UTF_8) + "@" + ByteBuffer.wrap(b, b.length - 8, 8).getLong();
            case "sw": {
                final int n = b.length - 16;
                final ByteBuffer bb = ByteBuffer.wrap(b);
                return new String(b, 0, n, StandardCharsets.UTF_8) + "@" + bb.getLong(n + 8) + "/" + bb.getLong(n);
            }
            default: return show(b);
        }
    }

    static String headers(final Iterable<Header> headers) {
        final List<String> hs = new ArrayList<>();
        for (final Header h : headers) hs.add(h.key() + "=" + show(h.value()));
        return hs.isEmpty() ? "" : " " + hs;
    }

    /** Every record of one output topic, decoded by format letters. */
    void read(final TopologyTestDriver d, final String topic, final String kf, final String vf) {
        final TestOutputTopic<byte[], byte[]> t = d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (final TestRecord<byte[], byte[]> r : t.readRecordsToList()) {
            line(topic + ": " + fmt(r.key(), kf) + " -> " + fmt(r.value(), vf) + " @" + r.timestamp() + headers(r.headers()));
        }
    }

    /** Every record of one topic without its timestamp (for the suppression-buffer changelog: a documented difference). */
    void readUntimed(final TopologyTestDriver d, final String topic) {
        final TestOutputTopic<byte[], byte[]> t = d.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        for (final TestRecord<byte[], byte[]> r : t.readRecordsToList()) {
            line(topic + ": " + show(r.key()) + " -> " + show(r.value()) + headers(r.headers()));
        }
    }

    /** Every record of every topic produced so far (internal ones included), topics sorted, bytes shown. */
    void readAll(final TopologyTestDriver d) {
        for (final String topic : new TreeSet<>(d.producedTopicNames())) read(d, topic, "", "");
    }

    /** Key-value pairs from a store iterator, each formatted by the caller. */
    <K, V> void iter(final String label, final KeyValueIterator<K, V> it, final java.util.function.Function<KeyValue<K, V>, String> f) {
        final List<String> items = new ArrayList<>();
        try (it) {
            while (it.hasNext()) items.add(f.apply(it.next()));
        }
        line(label + ": " + String.join(", ", items));
    }

    static String win(final Windowed<?> w) {
        return w.key() + "@" + w.window().start() + "/" + w.window().end();
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
