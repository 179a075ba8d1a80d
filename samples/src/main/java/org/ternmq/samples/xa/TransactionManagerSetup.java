package org.ternmq.samples.xa;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;

import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
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
 * Narayana, standalone: its transaction log in a directory of ours, a node name of its own (so after a crash it
 * recovers exactly its own branches), and periodic recovery over the resources it uses, found again through
 * recovery helpers. What an application server does for you, in a few lines.
 */
final class TransactionManagerSetup {

    private static RecoveryManager recovery;

    private TransactionManagerSetup() {
    }

    static TransactionManager narayana(Path log, String nodeName) throws CoreEnvironmentBeanException {
        for (String store : new String[] {null, "communicationStore", "stateStore"}) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, store).setObjectStoreDir(log.toString());
        }
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(nodeName);
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of(nodeName));
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryModuleClassNames(
                List.of(AtomicActionRecoveryModule.class.getName(), XARecoveryModule.class.getName()));
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /** Starts periodic recovery (once) with helpers for Tern and the database. */
    static synchronized void recoverWith(XAResourceRecoveryHelper tern, XADataSource database) throws SQLException {
        if (recovery != null) {
            return;
        }
        recovery = RecoveryManager.manager(RecoveryManager.INDIRECT_MANAGEMENT);
        javax.sql.XAConnection db = database.getXAConnection();
        XAResourceRecoveryHelper databaseHelper = new XAResourceRecoveryHelper() {
            @Override
            public boolean initialise(String p) {
                return true;
            }

            @Override
            public XAResource[] getXAResources() {
                try {
                    return new XAResource[] {db.getXAResource()};
                } catch (SQLException e) {
                    return new XAResource[0];
                }
            }
        };
        for (var module : recovery.getModules()) {
            if (module instanceof XARecoveryModule xa) {
                xa.addXAResourceRecoveryHelper(tern);
                xa.addXAResourceRecoveryHelper(databaseHelper);
            }
        }
        recovery.startRecoveryManagerThread();
    }
}
