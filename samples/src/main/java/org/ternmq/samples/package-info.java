/**
 * Standard Jakarta Messaging programs: they import only {@code jakarta.jms} and {@code javax.naming} and find
 * Tern through {@code jndi.properties}, except {@link org.ternmq.samples.EmbeddedBrokerSample}, which starts a
 * broker in-process. Each has a {@code main} and a {@code run} method that the tests call against a broker of
 * their own.
 */
package org.ternmq.samples;
