package org.ternmq.broker;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and durations as people write them in options and configuration files: {@code 8MiB}, {@code 32 MiB},
 * {@code 512KiB}, {@code 1GB} (KB, MB, GB are powers of 1000; KiB, MiB, GiB of 1024; a bare number is bytes), and
 * {@code 30s}, {@code 100ms}, {@code 5m}, {@code 2h}, {@code 7d} (a bare number is milliseconds). Used for every size
 * and duration setting: broker settings, options and destination policies alike.
 */
public final class Units {

    private static final Pattern QUANTITY = Pattern.compile("(-?\\d+)\\s*([a-zA-Z]*)");

    private Units() {
    }

    /** Bytes. @throws IllegalArgumentException saying what is accepted */
    public static long bytes(String text) {
        Matcher m = QUANTITY.matcher(text.trim());
        if (m.matches()) {
            long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "", "b" -> 1;
                case "kb" -> 1000;
                case "kib", "k" -> 1024;
                case "mb" -> 1000_000;
                case "mib", "m" -> 1024 * 1024;
                case "gb" -> 1000_000_000;
                case "gib", "g" -> 1024L * 1024 * 1024;
                default -> 0;
            };
            if (factor != 0) {
                return multiply(m.group(1), factor, text);
            }
        }
        throw new IllegalArgumentException("must be a size such as 8MiB, 512KiB or 1048576 (bytes), was '" + text.trim() + "'");
    }

    /** Milliseconds. @throws IllegalArgumentException saying what is accepted */
    public static long millis(String text) {
        Matcher m = QUANTITY.matcher(text.trim());
        if (m.matches()) {
            long factor = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "", "ms" -> 1;
                case "s" -> 1000;
                case "m", "min" -> 60_000;
                case "h" -> 3_600_000;
                case "d" -> 86_400_000;
                default -> 0;
            };
            if (factor != 0) {
                return multiply(m.group(1), factor, text);
            }
        }
        throw new IllegalArgumentException("must be a duration such as 30s, 500ms, 5m or 1000 (milliseconds), was '"
                + text.trim() + "'");
    }

    private static long multiply(String digits, long factor, String text) {
        try {
            return Math.multiplyExact(Long.parseLong(digits), factor);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("is too large, was '" + text.trim() + "'");
        }
    }
}
