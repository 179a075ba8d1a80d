package org.ternmq.jms.message;

import java.io.ObjectInputFilter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The packages whose classes an {@link jakarta.jms.ObjectMessage} may deserialize, enforced with an
 * {@link ObjectInputFilter}. Deserializing a class runs its code: a message from anyone who may send to a
 * destination could otherwise run a "gadget chain" of classes on the class path in the consumer (the
 * attack behind many JMS and Java deserialization CVEs). Only {@code java.lang}, {@code java.util},
 * {@code java.time} and {@code java.math} are trusted by default, plus the packages the application names
 * in the {@value #SYSTEM_PROPERTY} system property or the connection's {@code trustedPackages} option
 * (comma-separated; a package trusts its sub-packages; {@code *} trusts everything, at the application's
 * own risk). Immutable.
 */
public final class TrustedPackages {

    /** The system property naming more trusted packages, for every connection of the JVM. */
    public static final String SYSTEM_PROPERTY = "tern.jms.trustedPackages";
    /** Always trusted. */
    public static final List<String> DEFAULTS = List.of("java.lang", "java.util", "java.time", "java.math");

    private final Set<String> packages;
    private final boolean all;

    private TrustedPackages(Set<String> packages, boolean all) {
        this.packages = Set.copyOf(packages);
        this.all = all;
    }

    /** The defaults and the system property's packages. */
    public static TrustedPackages fromSystem() {
        return with(null);
    }

    /** The defaults, the system property's packages and {@code named} (comma-separated, may be null). */
    public static TrustedPackages with(String named) {
        Set<String> all = new LinkedHashSet<>(DEFAULTS);
        boolean everything = add(all, System.getProperty(SYSTEM_PROPERTY)) | add(all, named);
        return new TrustedPackages(all, everything);
    }

    private static boolean add(Set<String> into, String list) {
        boolean everything = false;
        if (list == null) {
            return false;
        }
        for (String p : list.split(",")) {
            String name = p.trim();
            if (name.equals("*")) {
                everything = true;
            } else if (!name.isEmpty()) {
                into.add(name.endsWith(".*") ? name.substring(0, name.length() - 2) : name);
            }
        }
        return everything;
    }

    /** Whether {@code className} (not an array) belongs to a trusted package or one of its sub-packages. */
    public boolean trusts(String className) {
        if (all) {
            return true;
        }
        int dot = className.lastIndexOf('.');
        String pkg = dot < 0 ? "" : className.substring(0, dot);
        for (String p : packages) {
            if (pkg.equals(p) || pkg.startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }

    /** A filter for one stream; {@link Filter#rejected()} names the first class it refused. */
    Filter newFilter() {
        return new Filter();
    }

    @Override
    public String toString() {
        if (all) {
            return "[*]";
        }
        List<String> sorted = new ArrayList<>(packages);
        sorted.sort(null);
        return sorted.toString();
    }

    /** Rejects classes outside the trusted packages (arrays by their element class; primitives pass). */
    final class Filter implements ObjectInputFilter {
        private String rejected;

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> c = info.serialClass();
            if (c == null) {
                return Status.UNDECIDED;
            }
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (c.isPrimitive() || trusts(c.getName())) {
                return Status.ALLOWED;
            }
            if (rejected == null) {
                rejected = c.getName();
            }
            return Status.REJECTED;
        }

        String rejected() {
            return rejected;
        }
    }
}
