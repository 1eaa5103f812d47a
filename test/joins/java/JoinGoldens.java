/*
 * Prints the describe() text of the join, global-table and cogroup topologies in test/describe/joins.test.ts and test/joins/outputs.test.ts,
 * as Java Kafka Streams 4.1.1 builds them, as JSON ({"name": "text"}): the goldens in join-goldens.json.
 * Run (Java 17+, classpath = kafka-streams, kafka-streams-test-utils and kafka-clients 4.1.1 with their
 * runtime dependencies and slf4j-nop):  javac -cp 'lib/*' -d classes *.java && java -cp 'classes:lib/*' JoinGoldens > ../join-goldens.json
 * Each scenario mirrors one TypeScript topology of the same name in joins.test.ts.
 */
import org.apache.kafka.common.serialization.*;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.*;
import org.apache.kafka.streams.kstream.*;
import org.apache.kafka.streams.state.*;
import java.time.*;
import java.util.*;
import java.util.function.*;

public class JoinGoldens {
  static final Map<String, String> out = new LinkedHashMap<>();
  static final Map<String, Consumer<StreamsBuilder>> topologies = new LinkedHashMap<>();

  static void add(String name, Consumer<StreamsBuilder> body) {
    StreamsBuilder b = new StreamsBuilder();
    body.accept(b);
    out.put(name, b.build().describe().toString());
    topologies.put(name, body);
  }

  static String json(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c == '\n') sb.append("\\n");
      else sb.append(c);
    }
    return sb.append('"').toString();
  }

  public static void main(String[] args) {
    Scenarios.all();
    StringBuilder sb = new StringBuilder("{\n");
    int i = 0;
    for (Map.Entry<String, String> e : out.entrySet()) {
      sb.append("  ").append(json(e.getKey())).append(": ").append(json(e.getValue()));
      sb.append(++i < out.size() ? ",\n" : "\n");
    }
    System.out.print(sb.append("}\n"));
  }
}
