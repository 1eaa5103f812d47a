package bench;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Produced;

/**
 * One pipeline of `npm run bench:peers` in Java Kafka Streams:
 *   PeerApp map|wordcount BOOTSTRAP INPUT OUTPUT APPLICATION_ID at_least_once|exactly_once_v2
 * map:       stream(input).mapValues(toUpperCase).to(output)
 * wordcount: flatMapValues(split on non-word characters) -> groupBy(word) -> count() (RocksDB, 10 MiB cache) -> to(output)
 * One stream thread, commit interval 1000 ms. Prints READY once start() has returned; closes on SIGTERM.
 */
public final class PeerApp {
  public static void main(String[] args) throws Exception {
    if (args.length != 6) {
      System.err.println("usage: PeerApp map|wordcount|wordcount-nocache BOOTSTRAP INPUT OUTPUT APPLICATION_ID GUARANTEE");
      System.exit(2);
    }
    String kind = args[0];
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[4]);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[5]);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, kind.equals("wordcount-nocache") ? 0L : 10L * 1024 * 1024);
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("kstreams-bench-java-").toString());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

    StreamsBuilder builder = new StreamsBuilder();
    var source = builder.stream(args[2], Consumed.with(Serdes.String(), Serdes.String()));
    if (kind.equals("map")) {
      source.mapValues(v -> v.toUpperCase(Locale.ROOT)).to(args[3], Produced.with(Serdes.String(), Serdes.String()));
    } else if (kind.equals("wordcount") || kind.equals("wordcount-nocache")) {
      source
          .flatMapValues(line -> Arrays.stream(line.toLowerCase(Locale.ROOT).split("\\W+")).filter(w -> !w.isEmpty()).toList())
          .groupBy((k, w) -> w, Grouped.with(Serdes.String(), Serdes.String()))
          .count()
          .toStream()
          .to(args[3], Produced.with(Serdes.String(), Serdes.Long()));
    } else {
      System.err.println("unknown pipeline " + kind);
      System.exit(2);
    }
    KafkaStreams streams = new KafkaStreams(builder.build(), props);
    CountDownLatch closed = new CountDownLatch(1);
    streams.setUncaughtExceptionHandler(e -> {
      e.printStackTrace();
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      streams.close(java.time.Duration.ofSeconds(30));
      closed.countDown();
    }));
    streams.start();
    System.out.println("READY");
    System.out.flush();
    closed.await();
  }
}
