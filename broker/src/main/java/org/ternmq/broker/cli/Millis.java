package org.ternmq.broker.cli;

import picocli.CommandLine;

/** A duration option as the configuration takes it ({@code 30s}, {@code 500ms}, {@code 2m}; bare: ms), in ms. */
final class Millis implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return org.ternmq.broker.Units.millis(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
