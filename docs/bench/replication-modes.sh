#!/bin/bash
# Persistent sync sends/s with 1 and 8 producers for replication none, sync and async, interleaved, two rounds
# (docs/performance.md, "Replication and failover"). Run from the clone's root after
# mvn -Dmaven.test.skip=true -pl broker,perf -am install; results are appended to $DIR/results.txt.
DIR=${DIR:-/tmp/tern-replication-modes}
mkdir -p $DIR
B=broker/target/tern-broker-0.1.0-SNAPSHOT-all.jar; P=perf/target/tern-perf-0.1.0-SNAPSHOT-all.jar
OUT=$DIR/results.txt
for round in 1 2; do
  for mode in none sync async; do
    rm -rf $DIR/live $DIR/backup
    if [ $mode = none ]; then
      java -Xmx512m -jar $B --port 47601 --data-dir $DIR/live > $DIR/live.log 2>&1 &
      LIVE=$!; BACKUP=
    else
      java -Xmx512m -jar $B --port 47601 --data-dir $DIR/live --replication-port 47602 --replication $mode > $DIR/live.log 2>&1 &
      LIVE=$!
      sleep 3
      java -Xmx256m -jar $B --port 47603 --data-dir $DIR/backup --backup-of 127.0.0.1:47602 > $DIR/backup.log 2>&1 &
      BACKUP=$!
    fi
    for i in $(seq 1 60); do
      if [ $mode = none ]; then grep -q "started" $DIR/live.log && break
      else grep -q "joined the in-sync set" $DIR/live.log && break; fi
      sleep 1
    done
    for n in 1 8; do
      echo "== round $round mode $mode producers $n $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
      java -cp $P org.ternmq.perf.PerfTool produce --url tern://127.0.0.1:47601 --producers $n --warmup 3 --duration 15 >> $OUT 2>/dev/null
    done
    kill $LIVE $BACKUP; wait $LIVE $BACKUP 2>/dev/null
  done
done
echo "== done $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $OUT
