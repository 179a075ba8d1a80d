package org.ternmq.samples.mdb;

import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;

/**
 * Confirms each order. The delivery and the confirmation are one container-managed transaction: if sending
 * the confirmation failed, the order would come back and be tried again.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "jms/orders"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "4")})
public class OrderMdb implements MessageListener {

    @Inject
    @JMSConnectionFactory("jms/ternCF")
    private JMSContext jms;

    @Resource(lookup = "jms/confirmations")
    private Queue confirmations;

    @Override
    public void onMessage(Message message) {
        try {
            String item = ((TextMessage) message).getText();
            jms.createProducer().send(confirmations, "confirmed " + item);
        } catch (JMSException e) {
            throw new IllegalStateException("cannot read the order: " + e.getMessage(), e);
        }
    }
}
