package org.ternmq.broker;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The lasting identity of a broker's data directory, in {@code <data-dir>/node.id}: made once (a random
 * UUID, written to a temporary file, forced and renamed into place) and read at every later start. Clients
 * compare it to tell whether two connections reach the same XA resource manager ({@code isSameRM}).
 */
final class NodeId {

    static final String FILE = "node.id";

    private NodeId() {
    }

    /** Reads the data directory's node id, making it on the first start. */
    static String load(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(FILE);
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (id.isEmpty()) {
                throw new IOException(file + " is empty: restore it from a backup, or delete it if no XA transaction "
                        + "manager knows this broker");
            }
            return id;
        }
        String id = UUID.randomUUID().toString();
        Path tmp = dataDirectory.resolve(FILE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        return id;
    }
}
