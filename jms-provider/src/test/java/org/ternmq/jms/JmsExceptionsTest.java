package org.ternmq.jms;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageFormatException;
import jakarta.jms.ResourceAllocationException;
import jakarta.jms.TransactionRolledBackException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.ternmq.client.ClientException;
import org.ternmq.protocol.ErrorCode;

class JmsExceptionsTest {

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeMapsToTheSpecifiedException(ErrorCode code) {
        ClientException cause = new ClientException(code, "because " + code);
        JMSException e = JmsExceptions.from(cause);
        Class<?> expected = switch (code) {
            case SECURITY -> JMSSecurityException.class;
            case INVALID_CLIENT_ID -> InvalidClientIDException.class;
            case INVALID_DESTINATION -> InvalidDestinationException.class;
            case INVALID_SELECTOR -> InvalidSelectorException.class;
            case ILLEGAL_STATE -> IllegalStateException.class;
            case TRANSACTION_ROLLED_BACK -> TransactionRolledBackException.class;
            case RESOURCE_ALLOCATION -> ResourceAllocationException.class;
            case MESSAGE_FORMAT -> MessageFormatException.class;
            default -> JMSException.class;
        };
        assertThat(e).isExactlyInstanceOf(expected).hasMessage("because " + code).hasCause(cause);
        assertThat(e.getErrorCode()).isEqualTo(code.name());
        assertThat(e.getLinkedException()).isSameAs(cause);
    }
}
