package org.ternmq.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/** The payload of a prepare record: an XA branch's, and a half-message's with its message. */
class BranchPayloadTest {

    private static final byte[] XID = "xid-bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE = "the message".getBytes(StandardCharsets.UTF_8);

    @Test
    void anXaBranchHasNoHalfMessage() {
        byte[] p = StoreRecordDescriptor.encodeBranch(1234L, XID);
        assertThat(StoreRecordDescriptor.branchPreparedAt(p)).isEqualTo(1234L);
        assertThat(StoreRecordDescriptor.branchXid(p)).isEqualTo(XID);
        assertThat(StoreRecordDescriptor.branchHalfMessage(p)).isNull();
    }

    @Test
    void aHalfMessageBranchCarriesItsMessage() {
        byte[] p = StoreRecordDescriptor.encodeHalfBranch(99L, XID, MESSAGE);
        assertThat(StoreRecordDescriptor.branchPreparedAt(p)).isEqualTo(99L);
        assertThat(StoreRecordDescriptor.branchXid(p)).isEqualTo(XID);
        assertThat(StoreRecordDescriptor.branchHalfMessage(p)).isEqualTo(MESSAGE);
    }

    @Test
    void aTruncatedOrUnknownPayloadIsRefusedByName() {
        byte[] half = StoreRecordDescriptor.encodeHalfBranch(99L, XID, MESSAGE);
        byte[] cutInXid = Arrays.copyOf(half, 15);
        assertThatThrownBy(() -> StoreRecordDescriptor.branchXid(cutInXid))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a prepared branch");
        byte[] otherVersion = half.clone();
        otherVersion[0] = 7;
        assertThatThrownBy(() -> StoreRecordDescriptor.branchHalfMessage(otherVersion))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 7");
    }
}
