#!/bin/bash
# Issue 11's workloads S1-S7 against Tern and ActiveMQ Artemis 2.56, interleaved: for each repetition, for each
# workload, Tern then Artemis, each on a fresh broker process and data directory (docs/performance.md, "Consumer
# path, and a race against ActiveMQ Artemis"). Run from the clone's root after
#   mvn -B -Dmaven.test.skip=true -pl broker,perf -am install
#   mvn -q -B -f perf/artemis/pom.xml dependency:build-classpath -Dmdep.outputFile=$PWD/perf/artemis/target/classpath.txt
# Settings (environment): REPS (3), WARMUP (20 s), DURATION (10 s), S7_MESSAGES (1000000), WORKLOADS
# ("S1 S2 S3 S4 S5 S6 S7"), DIR (/tmp/tern-compare-artemis), TERN_PORT (48100), ARTEMIS_PORT (48200), PROVIDERS
# ("tern artemis"; "tern-nio" is Tern with TCP on NIO instead of native epoll, broker and client alike; "tern-b" is
# Tern from the broker jar TERN_B_JAR, another build to compare with, or the same jar when it is not set);
# TERN_OPTS and TERN_B_OPTS: JVM options added to the tern and tern-b brokers (say, GC settings to compare);
# TERN_URL_OPTIONS and TERN_B_URL_OPTIONS: a query appended to their connection URL (say, "?heartbeat=0").
# Each run's JSON goes to $DIR/json/, the progress and the result lines to $DIR/results.txt; the machine's limits
# (disk forces/s, loopback round trips/s, the send probe's forced round trips/s with the sender doing its own I/O
# and through an event-loop thread, the disk's force latency at 1,000/s, and how late a thread woken 1,000 times a
# second comes back) are measured before the first and after the last run.
set -u
DIR=${DIR:-/tmp/tern-compare-artemis}
REPS=${REPS:-3}; WARMUP=${WARMUP:-20}; DURATION=${DURATION:-10}; S7_MESSAGES=${S7_MESSAGES:-1000000}
WORKLOADS=${WORKLOADS:-"S1 S2 S3 S4 S5 S6 S7"}
TERN_PORT=${TERN_PORT:-48100}; ARTEMIS_PORT=${ARTEMIS_PORT:-48200}
B=$(ls broker/target/tern-broker-*-all.jar | head -1)
ARTEMIS_CP=$(cat perf/artemis/target/classpath.txt)
mkdir -p $DIR/json
cp $B $DIR/tern-broker.jar    # a rebuild during the run cannot change the broker under it
cp ${TERN_B_JAR:-$B} $DIR/tern-b.jar
OUT=$DIR/results.txt
cat > $DIR/artemis.properties <<EOF
java.naming.factory.initial=org.apache.activemq.artemis.jndi.ActiveMQInitialContextFactory
connectionFactory.ConnectionFactory=tcp://127.0.0.1:$ARTEMIS_PORT
EOF

limits() {
  echo "== limits $1 $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
  mkdir -p $DIR/probe; bin/tern-perf disk-probe --dir $DIR/probe --duration 3 2>/dev/null | grep -E 'forces/s|round trips' >> $OUT
  bin/tern-perf loopback-probe --duration 3 2>/dev/null | grep -E 'forces/s|round trips' >> $OUT
  # the floors under S1 (one producer's forced round trips) and under S6's tail (the disk's forces at 1,000/s)
  bin/tern-perf send-probe --dir $DIR/probe --duration 3 2>/dev/null | grep -E '^send probe' >> $OUT
  bin/tern-perf disk-probe --dir $DIR/probe --rate 1000 2>/dev/null | grep -E '^disk probe paced' >> $OUT
  bin/tern-perf wakeup-probe --duration 5 2>/dev/null | grep -E '^wake-up probe' >> $OUT
  rm -rf $DIR/probe
}

wait_for() {   # file, text, seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" $1 2>/dev/null && return 0; sleep 0.1; done
  echo "!! $1 never said '$2'" >> $OUT; return 1
}

run() {   # provider workload rep
  local provider=$1 w=$2 rep=$3 pid args
  rm -rf $DIR/data
  local nio=""; [ $provider = tern-nio ] && nio="-Dtern.transport.nio=true"
  if [ $provider != artemis ]; then
    local jar=$DIR/tern-broker.jar opts=${TERN_OPTS:-} query=${TERN_URL_OPTIONS:-}
    [ $provider = tern-b ] && jar=$DIR/tern-b.jar && opts=${TERN_B_OPTS:-} && query=${TERN_B_URL_OPTIONS:-}
    java $nio -Xmx256m $opts -jar $jar --port $TERN_PORT --data-dir $DIR/data > $DIR/broker.log 2>&1 &
    pid=$!; wait_for $DIR/broker.log "started" 60
    args="--url tern://127.0.0.1:$TERN_PORT$query"
  else
    java -Xmx2g -cp "$ARTEMIS_CP" perf/artemis/ArtemisBroker.java $ARTEMIS_PORT $DIR/data > $DIR/broker.log 2>&1 &
    pid=$!; wait_for $DIR/broker.log "Artemis is running" 90
    args="--jndi $DIR/artemis.properties"
  fi
  if [ $w = S7 ]; then args="$args --messages $S7_MESSAGES"; else args="$args --warmup $WARMUP --duration $DURATION"; fi
  echo "== $provider $w rep $rep $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
  TERN_PERF_CLASSPATH=$([ $provider = artemis ] && echo "$ARTEMIS_CP") TERN_PERF_JAVA_OPTS=$nio \
    bin/tern-perf $w $args --broker-pid $pid --json $DIR/json/$w-$provider-$rep.json 2>/dev/null | grep '^result' >> $OUT
  kill $pid; wait $pid 2>/dev/null
}

limits start
for rep in $(seq 1 $REPS); do
  for w in $WORKLOADS; do
    for provider in ${PROVIDERS:-tern artemis}; do run $provider $w $rep; done
  done
done
limits end
echo "== done $(date -u +%H:%M:%S)" >> $OUT
