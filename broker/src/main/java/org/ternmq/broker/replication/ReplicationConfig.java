package org.ternmq.broker.replication;

/**
 * Replication settings of one broker (see README "Replication and failover").
 *
 * @param cluster          the cluster's name: a backup of another cluster is refused
 * @param host             the address the replication port binds to (live) or the live broker's host (backup)
 * @param port             the replication port (live: 0 picks one) or the live broker's replication port (backup)
 * @param mode             sync: durable writes wait for backups; async: backups follow
 * @param minSyncReplicas  in-sync backups a sync write waits for, and below which persistent work is refused
 * @param maxLagMillis     how long a backup may leave a batch unacknowledged before it leaves the in-sync set
 * @param segmentSize      the journal's segment size (backups must use the same)
 * @param epoch            the activation epoch carried in every frame (0 without ZooKeeper)
 */
public record ReplicationConfig(String cluster, String host, int port, Mode mode, int minSyncReplicas,
        long maxLagMillis, int segmentSize, long epoch) {

    /** How a durable write waits for backups. */
    public enum Mode {
        SYNC, ASYNC
    }

    public ReplicationConfig {
        if (cluster == null || cluster.isBlank()) {
            throw new IllegalArgumentException("cluster must not be empty");
        }
        if (minSyncReplicas < 1) {
            throw new IllegalArgumentException("min-sync-replicas must be at least 1, was " + minSyncReplicas);
        }
        if (maxLagMillis < 1) {
            throw new IllegalArgumentException("replica-max-lag must be at least 1 ms, was " + maxLagMillis);
        }
    }

    /** This configuration following (or serving) {@code host:port}. */
    public ReplicationConfig withEndpoint(String host, int port) {
        return new ReplicationConfig(cluster, host, port, mode, minSyncReplicas, maxLagMillis, segmentSize, epoch);
    }

    /** This configuration at activation epoch {@code epoch}. */
    public ReplicationConfig withEpoch(long epoch) {
        return new ReplicationConfig(cluster, host, port, mode, minSyncReplicas, maxLagMillis, segmentSize, epoch);
    }
}
