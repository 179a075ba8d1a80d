package org.ternmq.jms.message;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import org.ternmq.message.BodyCodec;
import org.ternmq.message.BodyType;
import org.ternmq.message.EncodedMessage;

/** A message whose body is a string (possibly null). One thread at a time, like every JMS message. */
public class TernTextMessage extends TernMessage implements TextMessage {

    private static final int SUMMARY_CHARS = 64;

    private String text;

    public TernTextMessage() {
    }

    public TernTextMessage(String text) {
        this.text = text;
    }

    @Override
    public void setText(String text) throws JMSException {
        checkBodyWritable();
        this.text = text;
    }

    @Override
    public String getText() {
        return text;
    }

    @Override
    BodyType bodyType() {
        return BodyType.TEXT;
    }

    @Override
    byte[] encodeBody() {
        return BodyCodec.encodeText(text);
    }

    @Override
    void decodeBody(EncodedMessage encoded) {
        text = BodyCodec.decodeText(encoded);
    }

    @Override
    void copyBodyFrom(Message foreign) throws JMSException {
        text = ((TextMessage) foreign).getText();
    }

    @Override
    void clearBodyContent() {
        text = null;
    }

    @Override
    boolean hasNoBody() {
        return text == null;
    }

    @Override
    Object bodyObject() {
        return text;
    }

    @Override
    String bodySummary() {
        if (text == null) {
            return "text=null";
        }
        return text.length() <= SUMMARY_CHARS ? "text=\"" + text + "\""
                : "text=\"" + text.substring(0, SUMMARY_CHARS) + "...\" (" + text.length() + " chars)";
    }
}
