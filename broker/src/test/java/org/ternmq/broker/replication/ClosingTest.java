package org.ternmq.broker.replication;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;

/** A test of brokers, candidates and links that closes what it opened after each test, the last opened first. */
public abstract class ClosingTest {

    /** What the test opened, in order; add each thing as soon as it is open. */
    protected final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAllOpened() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }
}
