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
  }
}
