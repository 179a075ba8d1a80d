package org.ternmq.client;

/** Reading an exception's chain of causes, for errors that must say what really went wrong (a TLS handshake's). */
public final class Causes {

    private Causes() {
    }

    /** Whether {@code t} or one of its causes is a {@code type}. */
    public static boolean has(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** {@code t} and its causes, each as its class's simple name and message, cut after about 600 characters. */
    public static String chain(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
            if (b.length() > 600) {
                break;
            }
        }
        return b.toString();
    }
}
