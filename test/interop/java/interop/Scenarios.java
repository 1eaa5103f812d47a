// The Java side of the differential harness: every scenario runs through Kafka Streams 4.1.1's TopologyTestDriver
// and prints its canonical text (Out). scenarios.ts holds the same scenarios, by the same names, for kstreams.
package interop;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.*;
import org.apache.kafka.streams.kstream.internals.WindowedStreamPartitioner;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualFixedKeyProcessor;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;

public final class Scenarios {
    interface Scenario { void run(Out out) throws Exception; }

    static final Map<String, Scenario> ALL = new LinkedHashMap<>();
    static final Serde<String> S = Serdes.String();
    static final Serde<Long> L = Serdes.Long();
    static final Serde<Integer> I = Serdes.Integer();

    static void add(final String name, final Scenario s) {
        if (ALL.put(name, s) != null) throw new IllegalStateException("duplicate scenario " + name);
    }

    static TopologyTestDriver driver(final Topology t, final Object... extra) throws Exception {
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "interop");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1234");
        p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("interop-java-").toString());
        for (int i = 0; i < extra.length; i += 2) p.put(extra[i], extra[i + 1]);
        return new TopologyTestDriver(t, p, Instant.ofEpochMilli(0));
    }

    static TestInputTopic<String, String> in(final TopologyTestDriver d, final String topic) {
        return d.createInputTopic(topic, new StringSerializer(), new StringSerializer(), Instant.ofEpochMilli(0), Duration.ZERO);
    }

    static Consumed<String, String> ss() {
        return Consumed.with(S, S);
    }

    static Duration ms(final long v) {
        return Duration.ofMillis(v);
    }

    /** A processor that forwards each record with its value tagged, and counts into an optional store. */
    static ProcessorSupplier<String, String, String, String> tagger(final String tag, final String store) {
        return () -> new ContextualProcessor<String, String, String, String>() {
            @Override
            public void process(final Record<String, String> r) {
                if (store != null) {
                    final KeyValueStore<String, Long> s = context().getStateStore(store);
                    final Long c = s.get(r.key());
                    s.put(r.key(), c == null ? 1L : c + 1);
                }
                context().forward(r.withValue(tag + ":" + r.value()));
            }
        };
    }

    static void describeScenarios() {
        add("describe-wordcount", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("text", ss())
                .flatMapValues(v -> Arrays.asList(v.toLowerCase().split("\\W+")))
                .groupBy((k, w) -> w, Grouped.with(S, S))
                .count()
                .toStream()
                .to("counts", Produced.with(S, L));
            out.describe(b.build());
        });
        add("describe-stateless-unnamed", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .filter((k, v) -> v.length() > 1)
                .filterNot((k, v) -> v.startsWith("x"))
                .map((k, v) -> KeyValue.pair(v, k))
                .mapValues(v -> v + "!")
                .flatMap((k, v) -> List.of(KeyValue.pair(k, v), KeyValue.pair(v, k)))
                .flatMapValues(v -> List.of(v, v))
                .selectKey((k, v) -> v)
                .peek((k, v) -> { })
                .to("out");
            out.describe(b.build());
        });
        add("describe-stateless-named", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", Consumed.with(S, S).withName("src"))
                .filter((k, v) -> v.length() > 1, Named.as("f1"))
                .filterNot((k, v) -> v.startsWith("x"), Named.as("f2"))
                .map((k, v) -> KeyValue.pair(v, k), Named.as("m"))
                .mapValues(v -> v + "!", Named.as("mv"))
                .flatMap((k, v) -> List.of(KeyValue.pair(k, v)), Named.as("fm"))
                .flatMapValues(v -> List.of(v, v), Named.as("fmv"))
                .selectKey((k, v) -> v, Named.as("sk"))
                .peek((k, v) -> { }, Named.as("pk"))
                .to("out", Produced.as("sink"));
            out.describe(b.build());
        });
        add("describe-named-then-generated", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KStream<String, String> s = b.stream("in", Consumed.as("src"));
            s.filter((k, v) -> true, Named.as("keep")).mapValues(v -> v).to("out", Produced.as("out-sink"));
            s.selectKey((k, v) -> v).mapValues(v -> v + v).to("out2");
            out.describe(b.build());
        });
        add("describe-merge", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KStream<String, String> a = b.stream("a", ss());
            final KStream<String, String> c = b.stream("c", ss());
            final KStream<String, String> d = b.stream("d", ss());
            a.merge(c).merge(d, Named.as("merged")).mapValues(v -> v).to("out");
            out.describe(b.build());
        });
        add("describe-split-unnamed", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss()).split()
                .branch((k, v) -> v.startsWith("a"), Branched.withConsumer(ks -> ks.to("a")))
                .branch((k, v) -> v.startsWith("b"), Branched.withConsumer(ks -> ks.to("b")))
                .defaultBranch(Branched.withConsumer(ks -> ks.to("other")));
            out.describe(b.build());
        });
        add("describe-split-named", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KStream<String, String> s = b.stream("in", ss()).mapValues(v -> v, Named.as("pre"));
            s.split(Named.as("sp-"))
                .branch((k, v) -> v.startsWith("a"), Branched.withConsumer(ks -> ks.to("a"), "first"))
                .branch((k, v) -> v.startsWith("b"), Branched.withConsumer(ks -> ks.mapValues(v -> v).to("b")))
                .defaultBranch(Branched.withConsumer(ks -> ks.to("other"), "rest"));
            s.to("all");
            out.describe(b.build());
        });
        add("describe-groupby-grouped-as-count-named", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .groupBy((k, v) -> v, Grouped.as("by-value"))
                .count(Named.as("counted"))
                .toStream(Named.as("to-stream"))
                .to("out", Produced.with(S, L));
            out.describe(b.build());
        });
        add("describe-groupbykey-after-map-reduce", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .map((k, v) -> KeyValue.pair(v, k), Named.as("swap"))
                .groupByKey(Grouped.as("rekeyed"))
                .reduce((a, c) -> a + c, Materialized.as("reduced"))
                .toStream()
                .to("out");
            out.describe(b.build());
        });
        add("describe-count-materialized-without-name", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .selectKey((k, v) -> v)
                .groupByKey()
                .count(Materialized.with(S, L))
                .toStream()
                .to("out", Produced.with(S, L));
            out.describe(b.build());
        });
        add("describe-aggregate-and-reduce-unnamed", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KGroupedStream<String, String> g = b.stream("in", ss()).groupByKey();
            g.aggregate(() -> "", (k, v, a) -> a + v).toStream().to("agg");
            g.reduce((a, c) -> c).toStream().to("red");
            g.count(Named.as("cnt")).toStream().to("cnt", Produced.with(S, L));
            out.describe(b.build());
        });
        add("describe-table-unnamed", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.table("t", ss()).toStream().to("out");
            out.describe(b.build());
        });
        add("describe-table-consumed-as", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.table("t", Consumed.with(S, S).withName("tbl")).filter((k, v) -> v != null).toStream().to("out");
            out.describe(b.build());
        });
        add("describe-table-ops-named-materialized", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.table("t", ss(), Materialized.as("t-store"))
                .filter((k, v) -> v.length() > 0, Named.as("tf"))
                .filterNot((k, v) -> v.equals("x"))
                .mapValues(v -> v + "!", Named.as("tmv"), Materialized.as("mv-store"))
                .mapValues(v -> v.length() + "")
                .toStream(Named.as("ts"))
                .to("out");
            out.describe(b.build());
        });
        add("describe-table-groupby-named-and-unnamed", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KTable<String, String> t = b.table("t", ss());
            t.groupBy((k, v) -> KeyValue.pair(v, k), Grouped.as("tg"))
                .reduce((a, c) -> a + c, (a, c) -> a, Named.as("tr"), Materialized.with(S, S))
                .toStream().to("r");
            t.groupBy((k, v) -> KeyValue.pair(v, k))
                .count()
                .toStream().to("c", Produced.with(S, L));
            t.groupBy((k, v) -> KeyValue.pair(k, v), Grouped.with(S, S))
                .aggregate(() -> "", (k, v, a) -> a + v, (k, v, a) -> a, Materialized.as("tagg"))
                .toStream().to("a");
            out.describe(b.build());
        });
        add("describe-totable", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KStream<String, String> s = b.stream("in", ss());
            s.toTable(Named.as("tt"), Materialized.as("tt-store")).toStream().to("out1");
            s.selectKey((k, v) -> v).toTable().toStream().to("out2");
            s.toTable().filter((k, v) -> true).toStream().to("out3");
            out.describe(b.build());
        });
        add("describe-totable-store-forced-downstream", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KStream<String, String> s = b.stream("in", ss());
            s.toTable(Named.as("tt"), Materialized.as("tt-store")).toStream().to("out1");
            s.toTable().toStream().to("out2");
            s.toTable().groupBy((k, v) -> KeyValue.pair(v, k)).count().toStream().to("out3", Produced.with(S, L));
            out.describe(b.build());
        });
        add("describe-repartition", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KStream<String, String> s = b.stream("in", ss());
            s.repartition().to("out1");
            s.repartition(Repartitioned.<String, String>as("rp").withNumberOfPartitions(3)).mapValues(v -> v).to("out2");
            s.selectKey((k, v) -> v).repartition(Repartitioned.with(S, S)).groupByKey().count().toStream().to("out3", Produced.with(S, L));
            out.describe(b.build());
        });
        add("describe-tumbling-suppress", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(5)))
                .count()
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                .toStream()
                .to("out");
            out.describe(b.build());
        });
        add("describe-hopping-named", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .groupBy((k, v) -> v, Grouped.as("hop-group"))
                .windowedBy(TimeWindows.ofSizeWithNoGrace(ms(10)).advanceBy(ms(5)))
                .aggregate(() -> "", (k, v, a) -> a + v, Named.as("hop-agg"), Materialized.as("hop-store"))
                .toStream(Named.as("hop-out"))
                .to("out");
            out.describe(b.build());
        });
        add("describe-sliding", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .groupByKey()
                .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(ms(10), ms(20)))
                .reduce((a, c) -> a + c)
                .toStream()
                .to("out");
            out.describe(b.build());
        });
        add("describe-session", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            final KGroupedStream<String, String> g = b.stream("in", ss()).groupByKey();
            g.windowedBy(SessionWindows.ofInactivityGapWithNoGrace(ms(10))).count(Named.as("sess")).toStream().to("out1");
            g.windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(10), ms(3)))
                .aggregate(() -> "", (k, v, a) -> a + v, (k, a1, a2) -> a1 + a2)
                .toStream().to("out2");
            out.describe(b.build());
        });
        add("describe-emit-on-window-close", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("in", ss())
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(ms(10), ms(2)))
                .emitStrategy(EmitStrategy.onWindowClose())
                .count()
                .toStream()
                .to("out");
            out.describe(b.build());
        });
        add("describe-suppress-time-limit-named", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.table("t", ss())
                .groupBy((k, v) -> KeyValue.pair(v, k))
                .count()
                .suppress(Suppressed.<String>untilTimeLimit(ms(10), Suppressed.BufferConfig.maxRecords(5)).withName("sup"))
                .mapValues(v -> v + 1)
                .suppress(Suppressed.untilTimeLimit(ms(5), Suppressed.BufferConfig.unbounded()))
                .toStream()
                .to("out", Produced.with(S, L));
            out.describe(b.build());
        });
        add("describe-process-and-state-store", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("counts"), S, L));
            b.stream("in", ss())
                .process(tagger("p", "counts"), Named.as("proc"), "counts")
                .process(tagger("q", null))
                .processValues(() -> new ContextualFixedKeyProcessor<String, String, String>() {
                    @Override
                    public void process(final FixedKeyRecord<String, String> r) {
                        context().forward(r.withValue(r.value() + "."));
                    }
                })
                .to("out");
            out.describe(b.build());
        });
        add("describe-processor-api", out -> {
            final Topology t = new Topology();
            t.addSource("source", "in");
            t.addProcessor("tag", tagger("t", "store"), "source");
            t.addProcessor("tag2", tagger("u", null), "tag");
            t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("store"), S, L), "tag");
            t.addSink("sink", "out", "tag", "tag2");
            t.addSource("other-source", "other");
            t.addSink("other-sink", "other-out", "other-source");
            out.describe(t);
        });
        add("describe-pattern-and-multi-topic-sources", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream(Pattern.compile("in-.*"), ss()).to("out1");
            b.stream(List.of("x", "y"), ss()).foreach((k, v) -> { }, Named.as("each"));
            b.stream("z", ss()).foreach((k, v) -> { });
            out.describe(b.build());
        });
    }

    static void behaviourScenarios() {
        add("out-wordcount-all-topics", out -> {
            final StreamsBuilder b = new StreamsBuilder();
            b.stream("text", ss())
                .flatMapValues(v -> Arrays.asList(v.toLowerCase().split("\\W+")))
                .groupBy((k, w) -> w, Grouped.with(S, S))
                .count()
                .toStream()
                .to("counts", Produced.with(S, L));
            try (TopologyTestDriver d = driver(b.build())) {
                final TestInputTopic<String, String> t = in(d, "text");
                t.pipeInput("a", "Hello Kafka", 5);
                t.pipeInput("b", "hello streams", 7);
                t.pipeInput(null, "kafka", 3);
                out.readAll(d);
            }
        });
    }

    public static void main(final String[] args) throws Exception {
        describeScenarios();
        behaviourScenarios();
        final PrintStream ps = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (final Map.Entry<String, Scenario> e : ALL.entrySet()) {
            final Out out = new Out();
            try {
                e.getValue().run(out);
            } catch (final Exception ex) {
                out.line("exception: " + ex.getClass().getSimpleName());
            }
            ps.print("### " + e.getKey() + "\n" + out);
        }
        ps.flush();
    }
}
