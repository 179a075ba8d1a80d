package org.ternmq.store;

import java.io.IOException;
import java.nio.file.Path;

/** Another process (or another open journal in this JVM) holds the journal directory's lock file. */
public final class JournalLockedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    public JournalLockedException(Path directory) {
        super("journal directory " + directory.toAbsolutePath()
                + " is locked by another process or another open journal (lock file " + DirectoryLock.FILE_NAME + ")");
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
