package org.ternmq.jms.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BiFunction;
import java.util.stream.Stream;

import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidClientIDRuntimeException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.InvalidSelectorRuntimeException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import jakarta.jms.MessageEOFException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.MessageFormatRuntimeException;
import jakarta.jms.MessageNotReadableException;
import jakarta.jms.MessageNotWriteableException;
import jakarta.jms.MessageNotWriteableRuntimeException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.ResourceAllocationRuntimeException;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.TransactionRolledBackException;
import jakarta.jms.TransactionRolledBackRuntimeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuntimeExceptionsTest {

    static Stream<Arguments> pairs() {
        return Stream.of(
                pair(IllegalStateException::new, IllegalStateRuntimeException.class),
                pair(InvalidDestinationException::new, InvalidDestinationRuntimeException.class),
                pair(InvalidSelectorException::new, InvalidSelectorRuntimeException.class),
                pair(InvalidClientIDException::new, InvalidClientIDRuntimeException.class),
                pair(JMSSecurityException::new, JMSSecurityRuntimeException.class),
                pair(MessageFormatException::new, MessageFormatRuntimeException.class),
                pair(MessageNotWriteableException::new, MessageNotWriteableRuntimeException.class),
                pair(ResourceAllocationException::new, ResourceAllocationRuntimeException.class),
                pair(TransactionInProgressException::new, TransactionInProgressRuntimeException.class),
                pair(TransactionRolledBackException::new, TransactionRolledBackRuntimeException.class),
                pair(JMSException::new, JMSRuntimeException.class),
                pair(MessageEOFException::new, JMSRuntimeException.class),
                pair(MessageNotReadableException::new, JMSRuntimeException.class));
    }

    private static Arguments pair(BiFunction<String, String, JMSException> checked,
            Class<? extends JMSRuntimeException> runtime) {
        return Arguments.of(checked.apply("boom", "E42"), runtime);
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void eachCheckedExceptionBecomesItsRuntimeTwinKeepingMessageCodeAndCause(JMSException checked,
            Class<? extends JMSRuntimeException> expected) {
        JMSRuntimeException mapped = RuntimeExceptions.toRuntime(checked);

        assertThat(mapped).isExactlyInstanceOf(expected);
        assertThat(mapped.getMessage()).isEqualTo("boom");
        assertThat(mapped.getErrorCode()).isEqualTo("E42");
        assertThat(mapped.getCause()).isSameAs(checked);
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void theReverseMappingRoundTripsToTheSameCheckedType(JMSException checked,
            Class<? extends JMSRuntimeException> runtime) {
        JMSRuntimeException mapped = RuntimeExceptions.toRuntime(checked);
        JMSException back = RuntimeExceptions.toChecked(mapped);

        // types without a runtime twin come back as a plain JMSException
        Class<?> expected = runtime == JMSRuntimeException.class ? JMSException.class : checked.getClass();
        assertThat(back).isExactlyInstanceOf(expected);
        assertThat(back.getMessage()).isEqualTo("boom");
        assertThat(back.getErrorCode()).isEqualTo("E42");
        assertThat(back.getLinkedException()).isSameAs(mapped);
        assertThat(back.getCause()).isSameAs(mapped);
    }

    @Test
    void aSubclassOfACheckedTypeMapsLikeItsParent() {
        class ProviderIllegalState extends IllegalStateException {
            private static final long serialVersionUID = 1L;

            ProviderIllegalState() {
                super("sub", "S1");
            }
        }

        assertThat(RuntimeExceptions.toRuntime(new ProviderIllegalState()))
                .isExactlyInstanceOf(IllegalStateRuntimeException.class);
    }

    @Test
    void uncheckedReturnsTheValueOrThrowsTheMappedException() {
        assertThat(RuntimeExceptions.unchecked(() -> "value")).isEqualTo("value");

        InvalidSelectorException cause = new InvalidSelectorException("bad", "SEL");
        assertThatThrownBy(() -> RuntimeExceptions.unchecked(() -> {
            throw cause;
        })).isExactlyInstanceOf(InvalidSelectorRuntimeException.class).hasCause(cause);
        assertThatThrownBy(() -> RuntimeExceptions.uncheckedRun(() -> {
            throw new TransactionRolledBackException("rolled back");
        })).isExactlyInstanceOf(TransactionRolledBackRuntimeException.class).hasMessage("rolled back");
    }

    @Test
    void aNullErrorCodeStaysNull() {
        JMSRuntimeException mapped = RuntimeExceptions.toRuntime(new JMSException("no code"));

        assertThat(mapped.getErrorCode()).isNull();
        assertThat(mapped).hasMessage("no code");
    }
}
