package org.ternmq.it.xa;

import java.nio.file.Path;
import java.util.List;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.arjuna.recovery.AtomicActionRecoveryModule;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.ats.jta.recovery.XAResourceRecoveryHelper;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;

import jakarta.transaction.TransactionManager;

/**
 * Narayana as a standalone transaction manager, set up the way its own JMS integration tests do: the object
 * store in a directory of the test's, a node identifier, the recovery modules, and a recovery manager the test
 * drives itself ({@link RecoveryManager#DIRECT_MANAGEMENT}, {@link #recover}). Narayana's configuration is
 * global to a JVM: call {@link #configure} once per JVM, before the transaction manager is first used.
 */
final class Narayana {

    private static RecoveryManager recoveryManager;

    private Narayana() {
    }

    static TransactionManager configure(Path objectStore, String nodeId) {
        for (String store : new String[] {null, "communicationStore", "stateStore"}) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, store)
                    .setObjectStoreDir(objectStore.toString());
        }
        try {
            arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(nodeId);
        } catch (com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException e) {
            throw new IllegalStateException(e);
        }
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of(nodeId));
        jtaPropertyManager.getJTAEnvironmentBean().setOrphanSafetyInterval(1);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryModuleClassNames(
                List.of(AtomicActionRecoveryModule.class.getName(), XARecoveryModule.class.getName()));
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryBackoffPeriod(1);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setPeriodicRecoveryPeriod(3600);
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /** Starts the recovery manager (once per JVM) and gives it these helpers to find in-doubt branches with. */
    static synchronized void recoveryHelpers(XAResourceRecoveryHelper... helpers) {
        if (recoveryManager == null) {
            recoveryManager = RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
        }
        for (var module : recoveryManager.getModules()) {
            if (module instanceof XARecoveryModule xa) {
                for (XAResourceRecoveryHelper h : helpers) {
                    xa.addXAResourceRecoveryHelper(h);
                }
            }
        }
    }

    /** Runs recovery passes until Narayana has finished what it can (it needs two to act on orphans). */
    static void recover() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            recoveryManager.scan();
            Thread.sleep(50);
        }
    }
}
