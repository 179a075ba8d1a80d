package org.ternmq.broker.security;

/** What a user may do with a destination; each is granted to roles per destination pattern ({@link Permissions}). */
public enum Permission {
    SEND("send"),
    CONSUME("consume"),
    BROWSE("browse"),
    CREATE_DURABLE("create-durable"),
    DELETE_DURABLE("delete-durable"),
    CREATE_TEMPORARY("create-temporary"),
    MANAGE("manage");

    private final String key;

    Permission(String key) {
        this.key = key;
    }

    /** The name in the configuration file and in error messages. */
    public String key() {
        return key;
    }

    /** @throws IllegalArgumentException listing the permissions */
    public static Permission forKey(String key) {
        for (Permission p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Permission p : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(p.key);
        }
        throw new IllegalArgumentException("unknown permission '" + key + "' (known: " + known + ")");
    }
}
