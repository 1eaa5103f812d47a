/*
 * Runs the join cases of join-cases.txt through Java Kafka Streams 4.1.1's TopologyTestDriver and prints, per
 * case, the records on topic "out" (key=value@timestamp) and the task's dropped-records-total, as JSON: the
 * expected outputs in test/joins/join-outputs.json. For foreign-key joins it also prints every record of the join's
 * internal topics and subscription-store changelog in hex ("internal"), so their bytes are compared too. Topologies are those of Scenarios.java.
 * Run as JoinGoldens:  java -cp 'classes:lib/*' JoinOutputs join-cases.txt > ../join-outputs.json
 *
 * join-cases.txt: "case <name> <topology> [rocksdb]" starts a case; then "<topic> <key> <value> <timestamp>" lines
 * ("null" for a null key or value); "#" starts a comment.
 */
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.streams.*;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import java.nio.file.*;
import java.util.*;

public class JoinOutputs {
  public static void main(String[] args) throws Exception {
    Scenarios.all();
    List<String> lines = Files.readAllLines(Paths.get(args[0]));
    Map<String, String> results = new LinkedHashMap<>();
    String name = null, topology = null;
    boolean rocks = false;
    List<String[]> inputs = new ArrayList<>();
    lines.add("case __end__ none");
    for (String raw : lines) {
      String line = raw.replaceAll("#.*", "").trim();
      if (line.isEmpty()) continue;
      String[] f = line.split("\\s+");
      if (f[0].equals("case")) {
        if (name != null) results.put(name, run(topology, rocks, inputs));
        name = f[1];
        topology = f[2];
        rocks = f.length > 3 && f[3].equals("rocksdb");
        inputs = new ArrayList<>();
      } else {
        inputs.add(f);
      }
    }
    StringBuilder sb = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, String> e : results.entrySet()) {
      sb.append("  ").append(JoinGoldens.json(e.getKey())).append(": ").append(e.getValue()).append(++i < results.size() ? ",\n" : "\n");
    }
    System.out.print(sb.append("}\n"));
  }

  static String nul(String s) {
    return s.equals("null") ? null : s;
  }

  static String run(String topology, boolean rocks, List<String[]> inputs) throws Exception {
    StreamsBuilder b = new StreamsBuilder();
    JoinGoldens.topologies.get(topology).accept(b);
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "join-cases");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:1");
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    p.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, rocks ? BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers.class : BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class);
    p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("join-cases").toString());
    List<String> out = new ArrayList<>();
    List<String> internal = new ArrayList<>();
    double dropped;
    try (TopologyTestDriver d = new TopologyTestDriver(b.build(), p)) {
      Map<String, TestInputTopic<String, String>> topics = new HashMap<>();
      TestOutputTopic<String, String> o = d.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
      for (String[] f : inputs) {
        TestInputTopic<String, String> t = topics.computeIfAbsent(f[0], n -> d.createInputTopic(n, new StringSerializer(), new StringSerializer()));
        t.pipeInput(new TestRecord<>(nul(f[1]), nul(f[2]), null, Long.parseLong(f[3])));
        for (TestRecord<String, String> r : o.readRecordsToList()) out.add(r.key() + "=" + r.value() + "@" + r.timestamp() + " <" + f[0] + " " + f[1] + " " + f[2] + " " + f[3]);
        // the foreign-key join's internal topics and subscription-store changelog, byte for byte
        for (String name : new TreeSet<>(d.producedTopicNames())) {
          if (!name.contains("FK-JOIN") && !name.contains("-subscription-")) continue;
          TestOutputTopic<byte[], byte[]> raw = d.createOutputTopic(name, new ByteArrayDeserializer(), new ByteArrayDeserializer());
          for (TestRecord<byte[], byte[]> r : raw.readRecordsToList()) internal.add(name + " " + hex(r.key()) + " " + hex(r.value()) + " @" + r.timestamp());
        }
      }
      dropped = d.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("dropped-records-total") && e.getKey().group().equals("stream-task-metrics"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }
    StringBuilder sb = new StringBuilder("{ \"dropped\": " + (long) dropped + ", \"records\": [");
    for (int i = 0; i < out.size(); i++) sb.append(i == 0 ? "" : ", ").append(JoinGoldens.json(out.get(i)));
    sb.append("]");
    if (!internal.isEmpty()) {
      sb.append(", \"internal\": [");
      for (int i = 0; i < internal.size(); i++) sb.append(i == 0 ? "" : ", ").append(JoinGoldens.json(internal.get(i)));
      sb.append("]");
    }
    return sb.append(" }").toString();
  }

  static String hex(byte[] b) {
    if (b == null) return "null";
    StringBuilder sb = new StringBuilder();
    for (byte x : b) sb.append(String.format("%02x", x));
    return sb.toString();
  }
}
