package org.ternmq.it.app;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/**
 * A durable subscriber: what is published while it is undeployed waits for it. Stores each event. Its topic is
 * each server's (see {@link OrderMdb}).
 */
@MessageDriven(name = "DurableEventMdb", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "Durable"),
        @ActivationConfigProperty(propertyName = "subscriptionName", propertyValue = Names.DURABLE_SUBSCRIPTION),
        @ActivationConfigProperty(propertyName = "clientId", propertyValue = Names.DURABLE_CLIENT_ID),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")})
public class DurableEventMdb implements MessageListener {

    @Override
    public void onMessage(Message message) {
        try {
            Rows.insert(((TextMessage) message).getText(), "durable");
        } catch (JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}
