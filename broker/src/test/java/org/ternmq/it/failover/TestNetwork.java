package org.ternmq.it.failover;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small network of this test's own, made with Linux network namespaces: a bridge in this process's namespace at
 * {@code 10.213.N.1/24} (where the test itself and ZooKeeper are), and {@code hosts} namespaces, host {@code i} at
 * {@code 10.213.N.(2+i)}, each joined to the bridge by a veth pair. Nothing leaves the machine: the addresses
 * exist only on these interfaces, which {@link #close()} removes (and a new network removes leftovers of an earlier
 * run of this process id first). Needs {@code ip} and the right to create namespaces (root here).
 *
 * <p>What it can do to host {@code i}: {@link #isolate} it (its link down: it reaches nobody, nobody reaches it,
 * and nobody is told) and {@link #rejoin} it; {@link #partition} two hosts from each other only (each drops what
 * it would send to the other: both still reach the bridge) and {@link #heal} them.
 */
final class TestNetwork implements AutoCloseable {

    private final String tag;
    private final String subnet;
    private final int hosts;

    private TestNetwork(String tag, String subnet, int hosts) {
        this.tag = tag;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /**
     * Builds a network of {@code hosts} namespaces, named and numbered after this process (so that two builds on one
     * machine do not meet): interfaces and namespaces {@code t<pid mod 100000>...}, subnet
     * {@code 10.213.<pid mod 250 + 1>.0/24}.
     */
    static TestNetwork create(int hosts) throws IOException, InterruptedException {
        long pid = ProcessHandle.current().pid();
        TestNetwork net = new TestNetwork("t" + pid % 100_000, "10.213." + (pid % 250 + 1) + ".", hosts);
        net.close(); // what an interrupted run left
        try {
            net.build();
        } catch (IOException | InterruptedException | RuntimeException e) {
            net.close(); // nothing half made stays behind
            throw e;
        }
        return net;
    }

    private void build() throws IOException, InterruptedException {
        ip("link", "add", bridge(), "type", "bridge");
        ip("addr", "add", subnet + "1/24", "dev", bridge());
        ip("link", "set", bridge(), "up");
        for (int i = 0; i < hosts; i++) {
            String ns = namespace(i);
            ip("netns", "add", ns);
            ip("link", "add", hubSide(i), "type", "veth", "peer", "name", hostSide(i));
            ip("link", "set", hostSide(i), "netns", ns);
            ip("link", "set", hubSide(i), "master", bridge(), "up");
            ip("-n", ns, "addr", "add", address(i) + "/24", "dev", hostSide(i));
            ip("-n", ns, "link", "set", hostSide(i), "up");
            ip("-n", ns, "link", "set", "lo", "up");
        }
    }

    /** Whether this machine lets the test build one (the {@code ip} tool, and the right to add a namespace). */
    static boolean available() {
        String probe = "tnprobe" + ProcessHandle.current().pid() % 100_000;
        try {
            Process p = new ProcessBuilder("ip", "netns", "add", probe).redirectErrorStream(true).start();
            boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            new ProcessBuilder("ip", "netns", "del", probe).redirectErrorStream(true).start().waitFor(10,
                    TimeUnit.SECONDS);
            return ok;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The address of the bridge, in the test's own namespace. */
    String hubAddress() {
        return subnet + "1";
    }

    String address(int host) {
        return subnet + (2 + host);
    }

    String namespace(int host) {
        return tag + "-ns" + host;
    }

    /** The command that runs a program in host {@code i}'s namespace (it execs the program: the PID is the program's). */
    String[] exec(int host) {
        return new String[] {"ip", "netns", "exec", namespace(host)};
    }

    /** Host {@code i} reaches nobody and nobody reaches it; no side is told (no reset, no close). */
    void isolate(int host) throws IOException, InterruptedException {
        ip("link", "set", hubSide(host), "down");
    }

    void rejoin(int host) throws IOException, InterruptedException {
        ip("link", "set", hubSide(host), "up");
    }

    /** Hosts {@code a} and {@code b} no longer reach each other; both still reach the bridge and the others. */
    void partition(int a, int b) throws IOException, InterruptedException {
        ip("-n", namespace(a), "route", "add", "blackhole", address(b) + "/32");
        ip("-n", namespace(b), "route", "add", "blackhole", address(a) + "/32");
    }

    void heal(int a, int b) throws IOException, InterruptedException {
        ip("-n", namespace(a), "route", "del", "blackhole", address(b) + "/32");
        ip("-n", namespace(b), "route", "del", "blackhole", address(a) + "/32");
    }

    private String bridge() {
        return tag + "br";
    }

    private String hubSide(int host) {
        return tag + "h" + host;
    }

    private String hostSide(int host) {
        return tag + "p" + host;
    }

    private void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** Removes the namespaces (their veth pairs go with them) and the bridge; what is not there is skipped. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (int i = 0; i < hosts; i++) {
            quietly("netns", "del", namespace(i));
            quietly("link", "del", hubSide(i));
        }
        quietly("link", "del", bridge());
    }

    private void quietly(String... args) throws InterruptedException {
        try {
            ip(args);
        } catch (IOException e) {
            // not there
        }
    }
}
