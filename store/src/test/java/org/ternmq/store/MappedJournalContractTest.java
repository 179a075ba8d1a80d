package org.ternmq.store;

/** The journal contract on {@link IoMode#MAPPED} segment files. */
class MappedJournalContractTest extends JournalContract {
    @Override
    IoMode mode() {
        return IoMode.MAPPED;
    }
}
