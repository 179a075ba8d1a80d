package org.ternmq.it.xa;

import java.nio.file.Path;
import javax.sql.XAConnection;

import jakarta.jms.Message;
import jakarta.jms.XASession;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;

import org.jboss.narayana.jta.jms.JmsXAResourceRecoveryHelper;
import org.ternmq.jms.TernXAConnectionFactory;

/**
 * A transaction manager in a JVM of its own, so a test can kill it at a chosen point of two-phase commit and
 * let a new one recover. Arguments: {@code MODE objectStoreDir brokerUrl orderId}.
 * <ul>
 *   <li>{@code halt-in-commit}: one global transaction receives order {@code orderId} from {@code xa.tm.in},
 *       sends a confirmation to {@code xa.tm.out} and inserts a row; the JVM halts once every participant is
 *       prepared and the decision is logged, before anything commits (exit status 77);</li>
 *   <li>{@code halt-in-prepare}: the same, halting after Tern and PostgreSQL prepared but before the
 *       transaction manager logged its decision (exit status 77);</li>
 *   <li>{@code recover}: a new transaction manager on the same object store and node runs recovery over Tern
 *       and PostgreSQL, then exits 0.</li>
 * </ul>
 */
public final class TmChild {

    static final String NODE = "tern-tm-child";
    static final int HALTED = 77;

    private TmChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        TransactionManager tm = Narayana.configure(Path.of(args[1]), NODE);
        TernXAConnectionFactory tern = new TernXAConnectionFactory(args[2]);
        if (mode.equals("recover")) {
            Narayana.recoveryHelpers(new JmsXAResourceRecoveryHelper(tern), Postgres.recoveryHelper());
            Narayana.recover();
            System.exit(0);
        }
        String order = args[3];
        jakarta.jms.XAConnection jms = tern.createXAConnection();
        jms.start();
        XASession session = jms.createXASession();
        XAConnection db = Postgres.dataSource().getXAConnection();
        CrashPoint halt = new CrashPoint(mode.equals("halt-in-commit") ? CrashPoint.When.COMMIT : CrashPoint.When.PREPARE,
                () -> Runtime.getRuntime().halt(HALTED));
        tm.begin();
        Transaction tx = tm.getTransaction();
        if (mode.equals("halt-in-commit")) {
            tx.enlistResource(halt); // commits first
        }
        tx.enlistResource(session.getXAResource());
        tx.enlistResource(db.getXAResource());
        if (mode.equals("halt-in-prepare")) {
            tx.enlistResource(halt); // prepares last
        }
        Message m = session.createConsumer(session.createQueue("xa.tm.in"), "order = '" + order + "'").receive(10_000);
        if (m == null) {
            System.err.println("order " + order + " not received");
            System.exit(2);
        }
        session.createProducer(session.createQueue("xa.tm.out")).send(session.createTextMessage("confirmed " + order));
        Postgres.insert(db, order, "from the TM child");
        tm.commit();
        System.err.println("the transaction committed: the crash point did not halt");
        System.exit(3);
    }
}
