package org.ternmq.perf;

import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.sql.XAConnection;

import jakarta.jms.BytesMessage;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.XAConnectionFactory;
import jakarta.jms.XASession;
import jakarta.transaction.TransactionManager;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.postgresql.xa.PGXADataSource;
import org.ternmq.jms.TernXAConnectionFactory;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;

/**
 * {@code tern-perf xa}: transactions per second of "send a persistent message and insert a row" as one XA
 * transaction (Narayana, standalone, with Tern or, through {@code --jndi}, any provider's
 * {@code XAConnectionFactory}, and PostgreSQL through {@code PGXADataSource}), or with {@code --local} as a
 * local JMS transaction followed by an autocommit insert, the usual way without XA. Each thread has its own
 * JMS connection and database connection. At the end the queue is drained and the rows counted: both must
 * equal the transactions committed, or the run fails.
 *
 * <p>Threads: the worker threads each own their connections; the main thread reports.
 */
final class XaBench {

    private static final String TABLE = "tern_perf_xa";

    private final Map<String, String> options;
    private final PrintStream out;
    private final PrintStream err;

    private XaBench(Map<String, String> options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
    }

    static void printHelp(PrintStream out) {
        out.println("  xa           XA transactions (send + insert) per second, with Narayana and PostgreSQL");
        out.println("               xa [--url URL | --jndi FILE [--factory NAME]] [--queue NAME] [--threads N]");
        out.println("                  [--duration S] [--warmup S] [--size BYTES] [--local] [--jdbc-url URL]");
        out.println("                  [--jdbc-user U] [--tx-dir DIR]; --local: local JMS transaction + autocommit");
        out.println("                  insert instead of XA");
    }

    /** @return the exit status (0 ok, 1 failed or counts wrong, 2 bad usage) */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> known = List.of("url", "jndi", "factory", "queue", "threads", "duration", "warmup", "size",
                "jdbc-url", "jdbc-user", "tx-dir");
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--local")) {
                options.put("local", "true");
            } else if (a.startsWith("--") && known.contains(a.substring(2)) && i + 1 < args.length) {
                options.put(a.substring(2), args[++i]);
            } else {
                err.println("tern-perf xa: unknown option or missing value: " + a);
                return PerfTool.USAGE;
            }
        }
        try {
            return new XaBench(options, out, err).run();
        } catch (NumberFormatException e) {
            err.println("tern-perf xa: " + e.getMessage());
            return PerfTool.USAGE;
        } catch (Exception e) {
            err.println("tern-perf xa: failed: " + e);
            return PerfTool.FAILED;
        }
    }

    private String opt(String name, String dflt) {
        return options.getOrDefault(name, dflt);
    }

    private int run() throws Exception {
        int threads = Integer.parseInt(opt("threads", "1"));
        int duration = Integer.parseInt(opt("duration", "20"));
        int warmup = Integer.parseInt(opt("warmup", "5"));
        int size = Integer.parseInt(opt("size", "1024"));
        boolean local = options.containsKey("local");
        XAConnectionFactory factory;
        Queue queue;
        if (options.containsKey("jndi")) {
            Properties env = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(options.get("jndi")), StandardCharsets.UTF_8)) {
                env.load(in);
            }
            Context jndi = new InitialContext(env);
            factory = (XAConnectionFactory) jndi.lookup(opt("factory", "XAConnectionFactory"));
            queue = (Queue) jndi.lookup(opt("queue", "perf.xa"));
        } else {
            factory = new TernXAConnectionFactory(opt("url", "tern://127.0.0.1:61616"));
            queue = null;
        }
        PGXADataSource db = new PGXADataSource();
        db.setUrl(opt("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test"));
        db.setUser(opt("jdbc-user", "postgres"));
        prepareTable(db);
        TransactionManager tm = local ? null : narayana(Path.of(opt("tx-dir", "target/perf-xa-tx")));

        Recorder latencies = new Recorder(3);
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] committed = new long[threads];
        long[] measured = new long[threads];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread w = new Thread(() -> {
                try {
                    work(index, factory, queue, db, tm, size, latencies, measuring, stop, committed, measured);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                }
            }, "xa-bench-" + t);
            workers.add(w);
            w.start();
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        latencies.reset();
        long started = System.nanoTime();
        measuring.set(true);
        Thread.sleep(TimeUnit.SECONDS.toMillis(duration));
        measuring.set(false);
        long elapsed = System.nanoTime() - started;
        Histogram h = latencies.getIntervalHistogram();
        stop.set(true);
        for (Thread w : workers) {
            w.join(60_000);
        }
        if (failure.get() != null) {
            err.println("tern-perf xa: a worker failed: " + failure.get());
            failure.get().printStackTrace(err);
            return PerfTool.FAILED;
        }
        long total = 0;
        long inWindow = 0;
        for (int t = 0; t < threads; t++) {
            total += committed[t];
            inWindow += measured[t];
        }
        long messages = drain(factory, queue);
        long rows = rows(db);
        double seconds = elapsed / 1e9;
        out.printf("xa bench: %s, %d thread(s), %d-byte persistent messages, %d s measured after %d s warm-up%n",
                local ? "local JMS transaction + autocommit insert" : "XA (Narayana) send + insert",
                threads, size, duration, warmup);
        out.printf("  transactions/s   %,.0f%n", inWindow / seconds);
        out.printf("  latency ms       p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n", h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
        out.printf("  committed %d in all; %d messages drained, %d rows%n", total, messages, rows);
        if (messages != total || rows != total) {
            err.println("tern-perf xa: messages (" + messages + ") and rows (" + rows + ") must both equal the "
                    + "transactions committed (" + total + ")");
            return PerfTool.FAILED;
        }
        return PerfTool.OK;
    }

    private void work(int index, XAConnectionFactory factory, Queue administered, PGXADataSource db,
            TransactionManager tm, int size, Recorder latencies, AtomicBoolean measuring, AtomicBoolean stop,
            long[] committed, long[] measured) throws Exception {
        byte[] body = new byte[size];
        try (jakarta.jms.XAConnection jms = factory.createXAConnection()) {
            XAConnection xaDb = db.getXAConnection();
            try {
                if (tm == null) {
                    localLoop(index, jms, administered, xaDb, body, latencies, measuring, stop, committed, measured);
                } else {
                    xaLoop(index, jms, administered, xaDb, tm, body, latencies, measuring, stop, committed, measured);
                }
            } finally {
                xaDb.close();
            }
        }
    }

    private static void xaLoop(int index, jakarta.jms.XAConnection jms, Queue administered, XAConnection xaDb,
            TransactionManager tm, byte[] body, Recorder latencies, AtomicBoolean measuring, AtomicBoolean stop,
            long[] committed, long[] measured) throws Exception {
        XASession session = jms.createXASession();
        Queue queue = administered != null ? administered : session.createQueue("perf.xa");
        MessageProducer producer = session.createProducer(queue);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        Connection sql = xaDb.getConnection();
        PreparedStatement insert = sql.prepareStatement("INSERT INTO " + TABLE + " (worker, n) VALUES (?, ?)");
        long n = 0;
        while (!stop.get()) {
            long t0 = System.nanoTime();
            tm.begin();
            tm.getTransaction().enlistResource(session.getXAResource());
            tm.getTransaction().enlistResource(xaDb.getXAResource());
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            producer.send(m);
            insert.setInt(1, index);
            insert.setLong(2, ++n);
            insert.executeUpdate();
            tm.commit();
            record(index, t0, latencies, measuring, committed, measured);
        }
    }

    private static void localLoop(int index, jakarta.jms.XAConnection jms, Queue administered, XAConnection xaDb,
            byte[] body, Recorder latencies, AtomicBoolean measuring, AtomicBoolean stop, long[] committed,
            long[] measured) throws Exception {
        Session session = jms.createSession(Session.SESSION_TRANSACTED);
        Queue queue = administered != null ? administered : session.createQueue("perf.xa");
        MessageProducer producer = session.createProducer(queue);
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        Connection sql = xaDb.getConnection();
        sql.setAutoCommit(true);
        PreparedStatement insert = sql.prepareStatement("INSERT INTO " + TABLE + " (worker, n) VALUES (?, ?)");
        long n = 0;
        while (!stop.get()) {
            long t0 = System.nanoTime();
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(body);
            producer.send(m);
            session.commit();
            insert.setInt(1, index);
            insert.setLong(2, ++n);
            insert.executeUpdate();
            record(index, t0, latencies, measuring, committed, measured);
        }
    }

    private static void record(int index, long t0, Recorder latencies, AtomicBoolean measuring, long[] committed,
            long[] measured) {
        committed[index]++;
        if (measuring.get()) {
            latencies.recordValue(System.nanoTime() - t0);
            measured[index]++;
        }
    }

    private static void prepareTable(PGXADataSource db) throws Exception {
        XAConnection xa = db.getXAConnection();
        try (Connection c = xa.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (worker int, n bigint, at timestamptz DEFAULT now())");
            s.execute("TRUNCATE " + TABLE);
        } finally {
            xa.close();
        }
    }

    private static long rows(PGXADataSource db) throws Exception {
        XAConnection xa = db.getXAConnection();
        try (Connection c = xa.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + TABLE)) {
            r.next();
            return r.getLong(1);
        } finally {
            xa.close();
        }
    }

    /** Consumes what the run left in the queue (with a local transaction per batch); returns how many. */
    private static long drain(XAConnectionFactory factory, Queue administered) throws Exception {
        long n = 0;
        try (jakarta.jms.XAConnection c = factory.createXAConnection()) {
            c.start();
            Session s = c.createSession(Session.SESSION_TRANSACTED);
            Queue queue = administered != null ? administered : s.createQueue("perf.xa");
            MessageConsumer consumer = s.createConsumer(queue);
            while (consumer.receive(2000) != null) {
                if (++n % 1000 == 0) {
                    s.commit();
                }
            }
            s.commit();
        }
        return n;
    }

    private static TransactionManager narayana(Path dir) throws Exception {
        for (String store : new String[] {null, "communicationStore", "stateStore"}) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, store).setObjectStoreDir(dir.toString());
        }
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("tern-perf-xa");
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }
}
