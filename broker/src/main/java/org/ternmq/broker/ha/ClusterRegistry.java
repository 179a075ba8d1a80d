package org.ternmq.broker.ha;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The znodes of one cluster under its path ({@code --zookeeper-path}, by default {@code /tern/<cluster>}):
 *
 * <pre>
 *  leader    Curator LeaderLatch: the broker whose node is first may become live
 *  epoch     persistent: the last activation epoch; each activation sets it one higher, compare-and-set on its
 *            version, so two activations can never get the same epoch
 *  live      ephemeral (the live broker's session): epoch=, replication=host:port, node=, url=
 *  in-sync   persistent: epoch=, nodes= (the live broker and the backups in sync with it; only these may become
 *            live next, as only they have every acknowledged message)
 * </pre>
 *
 * Every write of a live broker is a transaction that first checks its own leader-latch node ({@code guard}), so a
 * broker whose session expired (and with it the node) cannot write any more.
 *
 * <p>Stateless apart from the client: any thread.
 */
public final class ClusterRegistry {

    /** What the live broker publishes. */
    public record LiveInfo(long epoch, String host, int port, String node, String url) {
    }

    /** The in-sync set the live broker of {@code epoch} recorded. */
    public record InSync(long epoch, Set<String> nodes) {
    }

    private final CuratorFramework client;
    private final String path;

    public ClusterRegistry(CuratorFramework client, String path) {
        this.client = client;
        this.path = path;
    }

    public String latchPath() {
        return path + "/leader";
    }

    String epochPath() {
        return path + "/epoch";
    }

    String livePath() {
        return path + "/live";
    }

    String inSyncPath() {
        return path + "/in-sync";
    }

    /** The live broker, or null when there is none. */
    public LiveInfo live() throws Exception {
        Map<String, String> v = read(livePath());
        if (v == null) {
            return null;
        }
        String replication = v.getOrDefault("replication", "");
        int colon = replication.lastIndexOf(':');
        return new LiveInfo(Long.parseLong(v.getOrDefault("epoch", "0")), replication.substring(0, Math.max(colon, 0)),
                Integer.parseInt(replication.substring(colon + 1)), v.getOrDefault("node", ""), v.getOrDefault("url", ""));
    }

    /** The recorded in-sync set, or null when no broker was ever live in this cluster. */
    public InSync inSync() throws Exception {
        Map<String, String> v = read(inSyncPath());
        if (v == null) {
            return null;
        }
        Set<String> nodes = new TreeSet<>();
        for (String n : v.getOrDefault("nodes", "").split(",")) {
            if (!n.isBlank()) {
                nodes.add(n.trim());
            }
        }
        return new InSync(Long.parseLong(v.getOrDefault("epoch", "0")), nodes);
    }

    /** The last activation epoch (0 when no broker was ever live). */
    public long epoch() throws Exception {
        try {
            return Long.parseLong(new String(client.getData().forPath(epochPath()), StandardCharsets.US_ASCII).trim());
        } catch (KeeperException.NoNodeException e) {
            return 0;
        }
    }

    /**
     * Takes the next epoch: compare-and-set on the epoch znode's version, in one transaction with a check of
     * {@code guard}.
     *
     * @throws KeeperException when another broker took an epoch meanwhile (BadVersion, NodeExists) or this broker
     *     lost its latch node (NoNode)
     */
    public long nextEpoch(String guard) throws Exception {
        client.createContainers(path);
        Stat stat = new Stat();
        long current;
        try {
            current = Long.parseLong(new String(client.getData().storingStatIn(stat).forPath(epochPath()),
                    StandardCharsets.US_ASCII).trim());
        } catch (KeeperException.NoNodeException e) {
            client.transaction().forOperations(client.transactionOp().check().forPath(guard),
                    client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(epochPath(), bytes("1")));
            return 1;
        }
        long next = current + 1;
        client.transaction().forOperations(client.transactionOp().check().forPath(guard),
                client.transactionOp().setData().withVersion(stat.getVersion()).forPath(epochPath(),
                        bytes(Long.toString(next))));
        return next;
    }

    /** Records the in-sync set of the live broker of {@code epoch} (checked against {@code guard}). */
    public void recordInSync(String guard, long epoch, Set<String> nodes) throws Exception {
        byte[] data = bytes("epoch=" + epoch + "\nnodes=" + String.join(",", new TreeSet<>(nodes)) + "\n");
        if (client.checkExists().forPath(inSyncPath()) == null) {
            try {
                client.transaction().forOperations(client.transactionOp().check().forPath(guard),
                        client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(inSyncPath(), data));
                return;
            } catch (KeeperException.NodeExistsException e) {
                // made meanwhile: set it below
            }
        }
        client.transaction().forOperations(client.transactionOp().check().forPath(guard),
                client.transactionOp().setData().forPath(inSyncPath(), data));
    }

    /** Publishes the live broker (an ephemeral node of this session, checked against {@code guard}). */
    public void publishLive(String guard, LiveInfo info) throws Exception {
        byte[] data = bytes("epoch=" + info.epoch() + "\nreplication=" + info.host() + ":" + info.port() + "\nnode="
                + info.node() + "\nurl=" + info.url() + "\n");
        Stat stat = client.checkExists().forPath(livePath());
        if (stat != null && stat.getEphemeralOwner() == sessionId()) {
            client.delete().forPath(livePath()); // left from this session's last activation
        }
        client.transaction().forOperations(client.transactionOp().check().forPath(guard),
                client.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(livePath(), data));
    }

    /** Removes the live node if this session made it (a fenced broker whose session survived). */
    public void withdrawLive() throws Exception {
        Stat stat = client.checkExists().forPath(livePath());
        if (stat != null && stat.getEphemeralOwner() == sessionId()) {
            client.delete().withVersion(stat.getVersion()).forPath(livePath());
        }
    }

    private long sessionId() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    private Map<String, String> read(String znode) throws Exception {
        byte[] data;
        try {
            data = client.getData().forPath(znode);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
        Map<String, String> v = new LinkedHashMap<>();
        for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                v.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return v;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "cluster registry " + path + " " + Arrays.asList(latchPath(), epochPath(), livePath(), inSyncPath());
    }
}
