package org.ternmq.it.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/**
 * Consumes an order, stores it and replies, in the container's transaction (CMT, required): all three happen
 * or none. An order whose id starts with {@code fail} is refused with an exception, so its transaction rolls
 * back and the broker redelivers it until its dead-letter policy moves it away.
 */
@MessageDriven(name = "OrderMdb", activationConfig = {
        // where from is each server's: ejb-jar.xml (Deployments.ejbJarXml) gives destination or destinationLookup
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "2")})
public class OrderMdb implements MessageListener {

    @Override
    public void onMessage(Message message) {
        String id;
        try {
            id = ((TextMessage) message).getText();
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
        Rows.insert(id, "mdb");
        Replies.send("reply:" + id);
        if (id.startsWith("fail")) {
            throw new IllegalArgumentException("order " + id + " refused by the bean");
        }
    }
}
