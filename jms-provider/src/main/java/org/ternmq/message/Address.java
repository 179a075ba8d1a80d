package org.ternmq.message;

import java.util.Objects;

/**
 * Where a message is sent: the kind of destination and its name. Shared by the client, the wire protocol
 * and the broker, so all three agree on what "the same destination" means. Immutable.
 *
 * @param kind the kind of destination
 * @param name the destination's name, never empty
 */
public record Address(Kind kind, String name) {

    /** The four kinds of JMS destination. The code is what goes on the wire and to disk. */
    public enum Kind {
        QUEUE(0), TOPIC(1), TEMPORARY_QUEUE(2), TEMPORARY_TOPIC(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public boolean isQueue() {
            return this == QUEUE || this == TEMPORARY_QUEUE;
        }

        public boolean isTemporary() {
            return this == TEMPORARY_QUEUE || this == TEMPORARY_TOPIC;
        }

        /** @throws IllegalArgumentException for an unknown code (a malformed frame or record) */
        public static Kind fromCode(int code) {
            switch (code) {
                case 0: return QUEUE;
                case 1: return TOPIC;
                case 2: return TEMPORARY_QUEUE;
                case 3: return TEMPORARY_TOPIC;
                default: throw new IllegalArgumentException("unknown destination kind " + code);
            }
        }
    }

    public Address {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("destination name must not be empty");
        }
    }

    public static Address queue(String name) {
        return new Address(Kind.QUEUE, name);
    }

    public static Address topic(String name) {
        return new Address(Kind.TOPIC, name);
    }

    public boolean isQueue() {
        return kind.isQueue();
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "://" + name;
    }
}
