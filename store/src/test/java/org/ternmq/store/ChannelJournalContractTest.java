package org.ternmq.store;

/** The journal contract on {@link IoMode#CHANNEL} segment files. */
class ChannelJournalContractTest extends JournalContract {
    @Override
    IoMode mode() {
        return IoMode.CHANNEL;
    }
}
