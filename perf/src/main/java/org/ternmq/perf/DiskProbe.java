package org.ternmq.perf;

import java.io.IOException;
import java.util.Locale;

import org.ternmq.store.tools.DiskForceProbe;

/**
 * The {@code disk-probe} command: the store's {@link DiskForceProbe} (1 KiB writes on a preallocated file,
 * each followed by a force, per write mode) on the directory given, so the force rate sits next to the
 * end-to-end figures from the same tool. The first line of its report (FileChannel.write + force(false))
 * is what the journal's DATA sync policy pays per group commit.
 */
final class DiskProbe {
    private DiskProbe() {
    }

    static void run(PerfSettings settings) throws IOException {
        DiskForceProbe.main(new String[] {settings.dir().toString(),
                String.format(Locale.ROOT, "%s", settings.durationSeconds())});
    }
}
