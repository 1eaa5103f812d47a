"""One pipeline of `npm run bench:peers` in Quix Streams (PyPI quixstreams):

    python quix_app.py map|wordcount BOOTSTRAP INPUT OUTPUT CONSUMER_GROUP at-least-once|exactly-once STATE_DIR

map:       upper-case the value, to the output topic.
wordcount: split each line into words, group_by(word) through Quix's repartition topic, a count kept in its
           RocksDB state (Quix has no record cache: every update goes out), to the output topic as an int.
Commit interval 1 s. Prints READY before app.run(); Quix stops on SIGTERM.
"""
import re
import sys

from quixstreams import Application


def main() -> None:
    kind, bootstrap, input_topic, output_topic, group, guarantee, state_dir = sys.argv[1:8]
    app = Application(
        broker_address=bootstrap,
        consumer_group=group,
        auto_offset_reset="earliest",
        commit_interval=1.0,
        processing_guarantee=guarantee,
        state_dir=state_dir,
        loglevel="WARNING",
    )
    source = app.topic(input_topic, key_deserializer="str", value_deserializer="str")
    sdf = app.dataframe(source)
    if kind == "map":
        sink = app.topic(output_topic, key_serializer="str", value_serializer="str")
        sdf = sdf.apply(lambda value: value.upper())
        sdf.to_topic(sink)
    elif kind == "wordcount":
        sink = app.topic(output_topic, key_serializer="str", value_serializer="int")
        split = re.compile(r"\W+")
        sdf = sdf.apply(lambda line: [w for w in split.split(line.lower()) if w], expand=True)
        sdf = sdf.group_by(lambda word: word, name="word", key_serializer="str", value_serializer="str",
                           key_deserializer="str", value_deserializer="str")

        def count(_word, state):
            n = state.get("count", 0) + 1
            state.set("count", n)
            return n

        sdf = sdf.apply(count, stateful=True)
        sdf.to_topic(sink)
    else:
        raise SystemExit(f"unknown pipeline {kind}")
    print("READY", flush=True)
    app.run()


if __name__ == "__main__":
    main()
