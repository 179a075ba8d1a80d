package org.ternmq.ra;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Timer;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.transaction.xa.XAResource;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;

import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.UnavailableException;
import jakarta.resource.spi.XATerminator;
import jakarta.resource.spi.endpoint.MessageEndpoint;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.ExecutionContext;
import jakarta.resource.spi.work.Work;
import jakarta.resource.spi.work.WorkListener;
import jakarta.resource.spi.work.WorkManager;
import jakarta.transaction.Status;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The few parts of a Jakarta EE container the adapter's tests need, with Narayana as the transaction manager:
 * a pooling connection manager that enlists a managed connection's XAResource in the caller's transaction
 * (as a server does), a work manager, and message endpoints whose deliveries run in a transaction when asked
 * (begun in beforeDelivery, the session's XAResource enlisted, committed or, after a failure, rolled back in
 * afterDelivery). Real servers are tested elsewhere; this keeps the adapter's own rules fast to check.
 */
final class TestContainer {

    static TransactionManager tm;

    static synchronized TransactionManager transactionManager(Path store) {
        if (tm == null) {
            for (String s : new String[] {null, "communicationStore", "stateStore"}) {
                BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, s).setObjectStoreDir(store.toString());
            }
            tm = com.arjuna.ats.jta.TransactionManager.transactionManager();
        }
        return tm;
    }

    /** A pool that enlists what it hands out in the current transaction, once per transaction. */
    static final class Pool implements ConnectionManager, ConnectionEventListener {
        private static final long serialVersionUID = 1L;
        final Deque<ManagedConnection> idle = new ArrayDeque<>();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger destroyed = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        private final Map<Transaction, List<ManagedConnection>> enlisted = new HashMap<>();

        @Override
        public synchronized Object allocateConnection(ManagedConnectionFactory mcf, ConnectionRequestInfo info)
                throws ResourceException {
            ManagedConnection mc = idle.poll();
            if (mc == null) {
                mc = mcf.createManagedConnection(null, info);
                mc.addConnectionEventListener(this);
                created.incrementAndGet();
            }
            try {
                Transaction tx = tm == null ? null : tm.getTransaction();
                if (tx != null && tx.getStatus() == Status.STATUS_ACTIVE) {
                    List<ManagedConnection> in = enlisted.computeIfAbsent(tx, t -> new ArrayList<>());
                    if (!in.contains(mc)) {
                        tx.enlistResource(mc.getXAResource());
                        in.add(mc);
                    }
                }
            } catch (Exception e) {
                throw new ResourceException("enlisting failed: " + e, e);
            }
            return mc.getConnection(null, info);
        }

        @Override
        public synchronized void connectionClosed(ConnectionEvent event) {
            ManagedConnection mc = (ManagedConnection) event.getSource();
            try {
                mc.cleanup();
                if (!idle.contains(mc)) {
                    idle.push(mc);
                }
            } catch (ResourceException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public synchronized void connectionErrorOccurred(ConnectionEvent event) {
            ManagedConnection mc = (ManagedConnection) event.getSource();
            errors.incrementAndGet();
            idle.remove(mc);
            try {
                mc.destroy();
            } catch (ResourceException e) {
                throw new IllegalStateException(e);
            }
            destroyed.incrementAndGet();
        }

        synchronized void transactionEnded() {
            enlisted.clear();
        }

        synchronized void close() throws ResourceException {
            for (ManagedConnection mc : idle) {
                mc.destroy();
                destroyed.incrementAndGet();
            }
            idle.clear();
        }

        @Override
        public void localTransactionStarted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionCommitted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionRolledback(ConnectionEvent event) {
        }
    }

    /** The bootstrap context: a work manager on a thread pool; the rest is not used by the adapter. */
    static BootstrapContext bootstrap() {
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-work");
            t.setDaemon(true);
            return t;
        });
        WorkManager wm = new WorkManager() {
            @Override
            public void doWork(Work work) {
                work.run();
            }

            @Override
            public void doWork(Work work, long timeout, ExecutionContext ctx, WorkListener l) {
                work.run();
            }

            @Override
            public long startWork(Work work) {
                threads.execute(work);
                return 0;
            }

            @Override
            public long startWork(Work work, long timeout, ExecutionContext ctx, WorkListener l) {
                threads.execute(work);
                return 0;
            }

            @Override
            public void scheduleWork(Work work) {
                threads.execute(work);
            }

            @Override
            public void scheduleWork(Work work, long timeout, ExecutionContext ctx, WorkListener l) {
                threads.execute(work);
            }
        };
        return new BootstrapContext() {
            @Override
            public WorkManager getWorkManager() {
                return wm;
            }

            @Override
            public XATerminator getXATerminator() {
                return null;
            }

            @Override
            public Timer createTimer() throws UnavailableException {
                return new Timer(true);
            }

            @Override
            public boolean isContextSupported(Class<? extends jakarta.resource.spi.work.WorkContext> c) {
                return false;
            }

            @Override
            public TransactionSynchronizationRegistry getTransactionSynchronizationRegistry() {
                return null;
            }
        };
    }

    /**
     * Endpoints of a bean whose onMessage is {@code bean}; with {@code transacted}, each delivery runs in a
     * transaction as a container-managed MDB's does (a bean that throws marks it rollback-only).
     */
    static final class Endpoints implements MessageEndpointFactory {
        final boolean transacted;
        final Consumer<Message> bean;
        final AtomicInteger released = new AtomicInteger();
        /** Deliveries whose transaction committed (transacted endpoints). */
        final AtomicInteger committed = new AtomicInteger();

        Endpoints(boolean transacted, Consumer<Message> bean) {
            this.transacted = transacted;
            this.bean = bean;
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xa) {
            return new Endpoint(xa);
        }

        @Override
        public MessageEndpoint createEndpoint(XAResource xa, long timeout) {
            return new Endpoint(xa);
        }

        @Override
        public boolean isDeliveryTransacted(Method method) {
            return transacted;
        }

        @Override
        public String getActivationName() {
            return "test-mdb";
        }

        @Override
        public Class<?> getEndpointClass() {
            return Endpoint.class;
        }

        final class Endpoint implements MessageEndpoint, MessageListener {
            private final XAResource xa;

            Endpoint(XAResource xa) {
                this.xa = xa;
            }

            @Override
            public void beforeDelivery(Method method) throws ResourceException {
                try {
                    tm.begin();
                    tm.getTransaction().enlistResource(xa);
                } catch (Exception e) {
                    throw new ResourceException(e);
                }
            }

            @Override
            public void onMessage(Message message) {
                try {
                    bean.accept(message);
                } catch (RuntimeException e) {
                    try {
                        if (transacted) {
                            tm.setRollbackOnly();
                        }
                    } catch (Exception again) {
                        e.addSuppressed(again);
                    }
                    throw e;
                }
            }

            @Override
            public void afterDelivery() throws ResourceException {
                try {
                    if (tm.getStatus() == Status.STATUS_MARKED_ROLLBACK) {
                        tm.rollback();
                    } else {
                        tm.commit();
                        committed.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new ResourceException(e);
                }
            }

            @Override
            public void release() {
                released.incrementAndGet();
            }
        }
    }
}
