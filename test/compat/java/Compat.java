// Kafka 4.1.1 Java client programs the compatibility suite runs against the bundled broker. Each
// subcommand prints one JSON-ish result line starting with "RESULT " that the jest suite parses.
//
//   Compat idempotent-produce <bootstrap> <topic> <count>
//   Compat txn-produce <bootstrap> <topic> <txnId> <committedCount> <abortedCount>
//   Compat consume <bootstrap> <topic> <group> <isolation> <expected> [classic|consumer]
//   Compat wordcount <bootstrap> <appId> <input> <output> <stateDir> <word=count,...>
import java.time.Duration;
import java.util.*;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.*;
import org.apache.kafka.streams.kstream.*;
import org.apache.kafka.streams.state.KeyValueStore;

public class Compat {
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "idempotent-produce" -> idempotentProduce(args[1], args[2], Integer.parseInt(args[3]));
      case "txn-produce" -> txnProduce(args[1], args[2], args[3], Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      case "consume" -> consume(args[1], args[2], args[3], args[4], Integer.parseInt(args[5]), args.length > 6 ? args[6] : "classic");
      case "wordcount" -> wordcount(args[1], args[2], args[3], args[4], args[5], args[6]);
      default -> throw new IllegalArgumentException("unknown subcommand " + args[0]);
    }
  }

  static Properties producerProps(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return p;
  }

  static void idempotentProduce(String bootstrap, String topic, int count) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(bootstrap))) {
      List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
      for (int i = 0; i < count; i++) sent.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 10), "v" + i)));
      long maxOffset = -1;
      for (var f : sent) maxOffset = Math.max(maxOffset, f.get().offset());
      System.out.println("RESULT {\"sent\":" + count + ",\"maxOffset\":" + maxOffset + "}");
    }
  }

  static void txnProduce(String bootstrap, String topic, String txnId, int committed, int aborted) throws Exception {
    Properties p = producerProps(bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txnId);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int i = 0; i < aborted; i++) producer.send(new ProducerRecord<>(topic, "a" + i, "aborted-" + i));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      for (int i = 0; i < committed; i++) producer.send(new ProducerRecord<>(topic, "c" + i, "committed-" + i));
      producer.commitTransaction();
      System.out.println("RESULT {\"committed\":" + committed + ",\"aborted\":" + aborted + "}");
    }
  }

  static void consume(String bootstrap, String topic, String group, String isolation, int expected, String protocol) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
    int seen = 0;
    int abortedSeen = 0;
    Set<String> values = new HashSet<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (seen < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          seen++;
          values.add(r.value());
          if (r.value().startsWith("aborted-")) abortedSeen++;
        }
      }
      // a further poll shows nothing beyond the expected records arrives
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1000))) {
        seen++;
        if (r.value().startsWith("aborted-")) abortedSeen++;
      }
      consumer.commitSync();
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
      long committedTotal = 0;
      for (var e : committed.values()) if (e != null) committedTotal += e.offset();
      System.out.println("RESULT {\"seen\":" + seen + ",\"distinct\":" + values.size() + ",\"aborted\":" + abortedSeen
          + ",\"partitions\":" + consumer.assignment().size() + ",\"committedTotal\":" + committedTotal + "}");
    }
  }

  /**
   * WordCount under exactly_once_v2 with the record cache off, so every count update reaches the output:
   * runs until the output (read_committed) holds the expected final count for every word, then closes.
   * Prints the per-word sequence of counts seen, which must be exactly 1..n for every word.
   */
  static void wordcount(String bootstrap, String appId, String input, String output, String stateDir, String expected) throws Exception {
    Map<String, Long> want = new TreeMap<>();
    for (String kv : expected.split(",")) want.put(kv.split("=")[0], Long.parseLong(kv.split("=")[1]));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
    p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
    p.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    p.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    StreamsBuilder builder = new StreamsBuilder();
    builder.<String, String>stream(input)
        .flatMapValues(v -> Arrays.asList(v.toLowerCase(Locale.ROOT).split("\\W+")))
        .groupBy((k, w) -> w)
        .count(Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts-store"))
        .toStream()
        .to(output, Produced.with(Serdes.String(), Serdes.Long()));
    KafkaStreams streams = new KafkaStreams(builder.build(), p);
    final String[] error = {null};
    streams.setUncaughtExceptionHandler(e -> {
      error[0] = e.toString();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.start();
    Map<String, List<Long>> seen = new TreeMap<>();
    Properties cp = new Properties();
    cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, LongDeserializer.class.getName());
    cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    cp.put(ConsumerConfig.GROUP_ID_CONFIG, appId + "-verifier");
    cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaStreams.State state;
    try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(cp)) {
      consumer.subscribe(List.of(output));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (System.nanoTime() < deadline && error[0] == null) {
        for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(300))) {
          seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        boolean done = true;
        for (var e : want.entrySet()) {
          List<Long> l = seen.get(e.getKey());
          if (l == null || !l.get(l.size() - 1).equals(e.getValue())) done = false;
        }
        if (done) break;
      }
      // one more poll: nothing beyond the final counts may follow
      for (ConsumerRecord<String, Long> r : consumer.poll(Duration.ofMillis(1000))) {
        seen.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
      }
      state = streams.state();
    }
    streams.close(Duration.ofSeconds(30));
    StringBuilder sb = new StringBuilder("RESULT {\"state\":\"" + state + "\",\"error\":");
    sb.append(error[0] == null ? "null" : "\"" + error[0].replace("\"", "'") + "\"").append(",\"counts\":{");
    boolean first = true;
    for (var e : seen.entrySet()) {
      if (!first) sb.append(',');
      first = false;
      sb.append('"').append(e.getKey()).append("\":").append(e.getValue());
    }
    System.out.println(sb.append("}}"));
  }
}
