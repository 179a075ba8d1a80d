package org.ternmq.it.app;

import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;

/** Sends and inserts in one container-managed transaction (required). */
@Stateless
public class OrderBean {

    @Resource
    private SessionContext context;

    @Inject
    @JMSConnectionFactory(Names.CF)
    private JMSContext jms;

    /** Through a connection from the factory; with {@code rollback}, the transaction is rolled back at the end. */
    public void sendAndInsert(String id, boolean rollback) {
        Replies.send("bean:" + id);
        Rows.insert(id, "bean");
        if (rollback) {
            context.setRollbackOnly();
        }
    }

    /** Through the injected JMSContext. */
    public void sendWithInjectedContext(String id) {
        jms.createProducer().send(jms.createQueue(Names.REPLIES), "inject:" + id);
        Rows.insert(id, "inject");
    }
}
