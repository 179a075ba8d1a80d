package org.ternmq.samples.mdb;

import java.io.IOException;
import java.io.PrintWriter;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.jms.JMSConnectionFactory;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Queue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /orders?item=tea} sends an order; {@code GET /orders} lists (and takes) the confirmations the MDB
 * sent so far.
 */
@WebServlet("/orders")
public class OrderServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    @JMSConnectionFactory("jms/ternCF")
    private JMSContext jms;

    @Resource(lookup = "jms/orders")
    private Queue orders;

    @Resource(lookup = "jms/confirmations")
    private Queue confirmations;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        PrintWriter out = response.getWriter();
        String item = request.getParameter("item");
        if (item != null) {
            jms.createProducer().send(orders, item);
            out.println("ordered " + item);
            return;
        }
        try (JMSConsumer consumer = jms.createConsumer(confirmations)) {
            for (String c = consumer.receiveBody(String.class, 500); c != null;
                    c = consumer.receiveBody(String.class, 100)) {
                out.println(c);
            }
        }
    }
}
