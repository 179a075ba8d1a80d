package org.ternmq.store;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration setting: a name, a type, a default, a one-line doc and a validator. Settings are
 * constants of {@link JournalConfig}; see {@link JournalConfig.Builder#build()} for validation.
 *
 * @param <T> the value type
 */
public final class Setting<T> {
    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final String doc;
    private final Function<T, String> validator;

    private Setting(String name, Class<T> type, T defaultValue, String doc, Function<T, String> validator) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.doc = doc;
        this.validator = validator;
    }

    /**
     * Defines a setting. {@code validator} returns {@code null} for a good value or says what is
     * wrong ("must be between 1 and 10"); it is never called with {@code null}.
     */
    static <T> Setting<T> define(String name, Class<T> type, T defaultValue, String doc, Function<T, String> validator) {
        return new Setting<>(name, type, defaultValue, doc, validator);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** The default, or {@code null} when the setting is required. */
    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    /** {@code null} when {@code value} is acceptable, else a message naming the setting and the problem. */
    String validate(Object value) {
        if (value == null) {
            return name + " is required";
        }
        if (!type.isInstance(value)) {
            return name + " must be a " + type.getSimpleName() + " but was a " + value.getClass().getSimpleName();
        }
        String problem = validator.apply(type.cast(value));
        return problem == null ? null : name + "=" + value + ": " + problem;
    }

    static Function<Integer, String> intBetween(int min, int max) {
        return v -> v >= min && v <= max ? null : "must be between " + min + " and " + max;
    }

    static Function<Long, String> longBetween(long min, long max) {
        return v -> v >= min && v <= max ? null : "must be between " + min + " and " + max;
    }

    static Function<Double, String> fraction() {
        return v -> v > 0.0 && v < 1.0 ? null : "must be greater than 0 and less than 1";
    }

    static <T> Function<T, String> any() {
        return v -> null;
    }

    @Override
    public String toString() {
        return name + " (" + type.getSimpleName() + ", default " + Objects.toString(defaultValue, "required") + "): " + doc;
    }
}
