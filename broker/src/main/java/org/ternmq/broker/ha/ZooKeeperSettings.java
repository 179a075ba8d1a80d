package org.ternmq.broker.ha;

/**
 * How a broker reaches ZooKeeper to learn whether it is live.
 *
 * @param connect              host:port[,host:port...] of the ZooKeeper ensemble
 * @param path                 the cluster's znode (its leader latch, epoch, live broker and in-sync set live under it)
 * @param sessionTimeoutMillis the session timeout asked for; the server may give another (its min/max session
 *                             timeout, 2x and 20x its tickTime by default), and the broker goes by the one it gives
 * @param connectTimeoutMillis how long start-up waits for ZooKeeper before giving up with an error
 */
public record ZooKeeperSettings(String connect, String path, long sessionTimeoutMillis, long connectTimeoutMillis) {

    public ZooKeeperSettings {
        if (connect == null || connect.isBlank()) {
            throw new IllegalArgumentException("zookeeper must be host:port[,host:port...]");
        }
        for (String hostPort : connect.split(",")) {
            int colon = hostPort.trim().lastIndexOf(':');
            boolean ok = colon > 0;
            if (ok) {
                try {
                    int port = Integer.parseInt(hostPort.trim().substring(colon + 1));
                    ok = port > 0 && port < 65536;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (!ok) {
                throw new IllegalArgumentException("zookeeper must be host:port[,host:port...], was '" + connect + "'");
            }
        }
        if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("zookeeper-path must be an absolute znode path such as /tern/orders, "
                    + "was '" + path + "'");
        }
        if (sessionTimeoutMillis < 100) {
            throw new IllegalArgumentException("zookeeper-session-timeout must be at least 100ms, was "
                    + sessionTimeoutMillis + "ms");
        }
        if (connectTimeoutMillis < 1) {
            throw new IllegalArgumentException("zookeeper-connect-timeout must be at least 1ms, was "
                    + connectTimeoutMillis + "ms");
        }
    }
}
