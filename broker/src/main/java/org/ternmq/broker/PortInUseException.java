package org.ternmq.broker;

/** A port a broker was configured to listen on (the management or the JMX port) could not be bound. */
public final class PortInUseException extends java.net.BindException {

    private static final long serialVersionUID = 1L;

    private final String option;

    /**
     * @param option the setting that names the port ({@code management-port}, {@code jmx-port})
     * @param cause  what the bind said
     */
    public PortInUseException(String option, String host, int port, java.io.IOException cause) {
        super("cannot listen on " + host + ":" + port + " (--" + option + "): " + cause.getMessage()
                + " (choose another with --" + option + ")");
        this.option = option;
        initCause(cause);
    }

    /** The setting that names the port. */
    public String option() {
        return option;
    }
}
