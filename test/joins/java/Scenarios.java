/* The topologies of JoinGoldens (one per golden); see JoinGoldens.java. */
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.*;
import org.apache.kafka.streams.kstream.*;
import org.apache.kafka.streams.state.*;
import java.time.*;

class Scenarios {
  static void all() {
    JoinGoldens.add("stream-table-join", b -> {
      KStream<String, String> s = b.stream("orders");
      KTable<String, String> t = b.table("customers");
      s.join(t, (a, c) -> a + "+" + c).to("out");
    });
    JoinGoldens.add("stream-table-leftjoin-repartition", b -> {
      KStream<String, String> s = b.stream("orders");
      KTable<String, String> t = b.table("customers", Materialized.as("cust"));
      s.selectKey((k, v) -> v).leftJoin(t, (a, c) -> a + "+" + c).to("out");
    });
    JoinGoldens.add("stream-table-join-named-repartition", b -> {
      KStream<String, String> s = b.stream("orders");
      KTable<String, String> t = b.table("customers");
      s.map((k, v) -> KeyValue.pair(v, k)).join(t, (a, c) -> a + "+" + c, Joined.as("my-join")).to("out");
    });
    JoinGoldens.add("stream-table-join-filtered-table", b -> {
      KStream<String, String> s = b.stream("orders");
      KTable<String, String> t = b.<String, String>table("customers").filter((k, v) -> v != null && v.length() > 1);
      s.leftJoin(t, (a, c) -> a + "+" + c, Joined.as("named")).to("out");
    });
    JoinGoldens.add("stream-table-join-twice-repartition-reused", b -> {
      KStream<String, String> s = b.<String, String>stream("orders").selectKey((k, v) -> v);
      KTable<String, String> t = b.table("customers");
      s.join(t, (a, c) -> a + "+" + c).to("out1");
      s.leftJoin(t, (a, c) -> a + "+" + c).to("out2");
    });
    JoinGoldens.add("stream-stream-join", b -> {
      KStream<String, String> l = b.stream("left");
      KStream<String, String> r = b.stream("right");
      l.join(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(100), Duration.ofMillis(20))).to("out");
    });
    JoinGoldens.add("stream-stream-leftjoin", b -> {
      KStream<String, String> l = b.stream("left");
      KStream<String, String> r = b.stream("right");
      l.leftJoin(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(100), Duration.ofMillis(20))).to("out");
    });
    JoinGoldens.add("stream-stream-outerjoin", b -> {
      KStream<String, String> l = b.stream("left");
      KStream<String, String> r = b.stream("right");
      l.outerJoin(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(100), Duration.ofMillis(20))).to("out");
    });
    JoinGoldens.add("stream-stream-asymmetric-nograce", b -> {
      KStream<String, String> l = b.stream("left");
      KStream<String, String> r = b.stream("right");
      l.leftJoin(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(50)).before(Duration.ofMillis(10)).after(Duration.ofMillis(30))).to("out");
    });
    JoinGoldens.add("stream-stream-named-repartition", b -> {
      KStream<String, String> l = b.<String, String>stream("left").selectKey((k, v) -> v);
      KStream<String, String> r = b.<String, String>stream("right").map((k, v) -> KeyValue.pair(v, k));
      l.outerJoin(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(100)),
        StreamJoined.<String, String, String>as("store").withName("named")).to("out");
    });
    JoinGoldens.add("stream-stream-repartition-generated", b -> {
      KStream<String, String> l = b.<String, String>stream("left").selectKey((k, v) -> v);
      KStream<String, String> r = b.stream("right");
      l.leftJoin(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(100))).to("out");
    });
    JoinGoldens.add("stream-stream-store-name-only", b -> {
      KStream<String, String> l = b.stream("left");
      KStream<String, String> r = b.stream("right");
      l.join(r, (a, c) -> a + "+" + c, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(100)), StreamJoined.as("st")).to("out");
    });
  
    JoinGoldens.add("table-table-join", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      l.join(r, (a, c) -> a + "+" + c).toStream().to("out");
    });
    JoinGoldens.add("table-table-leftjoin", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      l.leftJoin(r, (a, c) -> a + "+" + c).toStream().to("out");
    });
    JoinGoldens.add("table-table-outerjoin-materialized", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      l.outerJoin(r, (a, c) -> a + "+" + c, Materialized.as("joined")).toStream().to("out");
    });
    JoinGoldens.add("table-table-named-unnamed-store", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      l.join(r, (a, c) -> a + "+" + c, Named.as("tj"), Materialized.with(Serdes.String(), Serdes.String())).toStream().to("out");
    });
    JoinGoldens.add("table-table-chained", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      KTable<String, String> x = b.table("xt");
      l.join(r, (a, c) -> a + "+" + c).leftJoin(x, (a, c) -> a + "+" + c).toStream().to("out");
    });
    JoinGoldens.add("table-table-self-join", b -> {
      KTable<String, String> t = b.table("lt");
      t.join(t, (a, c) -> a + "+" + c).toStream().to("out");
    });
    JoinGoldens.add("stream-joins-chained-table", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      KStream<String, String> s = b.stream("st");
      s.leftJoin(l.join(r, (a, c) -> a + "+" + c), (a, c) -> a + "/" + c).to("out");
    });
  
    JoinGoldens.add("global-table-join", b -> {
      KStream<String, String> s = b.stream("orders");
      GlobalKTable<String, String> g = b.globalTable("customers");
      s.join(g, (k, v) -> v, (a, c) -> a + "+" + c).to("out");
    });
    JoinGoldens.add("global-table-first-leftjoin-named", b -> {
      GlobalKTable<String, String> g = b.globalTable("customers", Consumed.as("cust"), Materialized.as("cust-store"));
      KStream<String, String> s = b.stream("orders");
      s.leftJoin(g, (k, v) -> v, (a, c) -> a + "+" + c, Named.as("enrich")).to("out");
    });
    JoinGoldens.add("global-store-between", b -> {
      KStream<String, String> s = b.stream("orders");
      b.addGlobalStore(
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("gstore"), Serdes.String(), Serdes.String()),
        "gtopic",
        Consumed.with(Serdes.String(), Serdes.String()),
        () -> new org.apache.kafka.streams.processor.api.Processor<String, String, Void, Void>() {
          KeyValueStore<String, String> store;
          public void init(org.apache.kafka.streams.processor.api.ProcessorContext<Void, Void> c) { store = c.getStateStore("gstore"); }
          public void process(org.apache.kafka.streams.processor.api.Record<String, String> r) { store.put(r.key(), r.value()); }
        });
      b.table("t2").toStream().to("out2");
      s.mapValues(v -> v + "!").to("out");
    });
  
    JoinGoldens.add("cogroup", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").groupByKey();
      KGroupedStream<String, String> c = b.<String, String>stream("c").groupByKey();
      a.<String>cogroup((k, v, agg) -> agg + "a" + v).cogroup(c, (k, v, agg) -> agg + "c" + v).aggregate(() -> "").toStream().to("out");
    });
    JoinGoldens.add("cogroup-named-repartition", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").selectKey((k, v) -> v).groupByKey(Grouped.as("ga"));
      KGroupedStream<String, String> c = b.<String, String>stream("c").groupByKey();
      a.<String>cogroup((k, v, agg) -> agg + "a" + v).cogroup(c, (k, v, agg) -> agg + "c" + v)
        .aggregate(() -> "", Named.as("cg"), Materialized.as("cg-store")).toStream().to("out");
    });
    JoinGoldens.add("cogroup-windowed", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").groupByKey();
      KGroupedStream<String, String> c = b.<String, String>stream("c").groupByKey();
      a.<String>cogroup((k, v, agg) -> agg + "a" + v).cogroup(c, (k, v, agg) -> agg + "c" + v)
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(100), Duration.ofMillis(10)))
        .aggregate(() -> "").toStream().map((w, v) -> KeyValue.pair(w.key() + "@" + w.window().start(), v)).to("out");
    });
    JoinGoldens.add("unlimited-windows-count", b -> {
      b.<String, String>stream("a").groupByKey().windowedBy(UnlimitedWindows.of()).count()
        .toStream().map((w, v) -> KeyValue.pair(w.key() + "@" + w.window().start(), String.valueOf(v))).to("out");
    });
  
    JoinGoldens.add("cogroup-sliding", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").groupByKey();
      KGroupedStream<String, String> c = b.<String, String>stream("c").groupByKey();
      a.<String>cogroup((k, v, agg) -> agg + "a" + v).cogroup(c, (k, v, agg) -> agg + "c" + v)
        .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(50), Duration.ofMillis(10)))
        .aggregate(() -> "").toStream().map((w, v) -> KeyValue.pair(w.key() + "@" + w.window().start() + "-" + w.window().end(), v)).to("out");
    });
    JoinGoldens.add("cogroup-session", b -> {
      KGroupedStream<String, String> a = b.<String, String>stream("a").groupByKey();
      KGroupedStream<String, String> c = b.<String, String>stream("c").groupByKey();
      a.<String>cogroup((k, v, agg) -> agg + "a" + v).cogroup(c, (k, v, agg) -> agg + "c" + v)
        .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(30), Duration.ofMillis(10)))
        .aggregate(() -> "", (k, x, y) -> x + "/" + y, Named.as("sess")).toStream()
        .map((w, v) -> KeyValue.pair(w.key() + "@" + w.window().start() + "-" + w.window().end(), v)).to("out");
    });
    // Foreign-key joins: the primary value is "<fk>:<payload>", fk "none" extracts a null foreign key.
    JoinGoldens.add("fk-join", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      l.join(r, (String v) -> { String f = v.split(":")[0]; return f.equals("none") ? null : f; }, (a, c) -> a + "+" + c).toStream().to("out");
    });
    JoinGoldens.add("fk-leftjoin", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      l.leftJoin(r, (String v) -> { String f = v.split(":")[0]; return f.equals("none") ? null : f; }, (a, c) -> a + "+" + c).toStream().to("out");
    });
    JoinGoldens.add("fk-join-named-materialized", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      l.join(r, (String k, String v) -> v.split(":")[0], (a, c) -> a + "+" + c, TableJoined.as("fkj"), Materialized.as("fk-store")).toStream().to("out");
    });
    JoinGoldens.add("fk-leftjoin-chained", b -> {
      KTable<String, String> l = b.table("lt");
      KTable<String, String> r = b.table("rt");
      KTable<String, String> x = b.table("xt");
      l.leftJoin(r, (String v) -> v.split(":")[0], (a, c) -> a + "+" + c, Materialized.with(Serdes.String(), Serdes.String()))
        .join(x, (a, c) -> a + "/" + c).toStream().to("out");
    });
}
}
