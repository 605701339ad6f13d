package dev.drover.monitor.datastore;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Production data as files under a directory, local or mounted. */
final class DirectoryStore implements DataStore {
    private final Path root;

    DirectoryStore(Path root) {
        this.root = root;
    }

    @Override
    public String location(String key) {
        return root.resolve(key).toString();
    }

    /** Written to a temporary file beside it, then renamed over the name: readers see the old file or the new. */
    @Override
    public void write(String key, Content content) throws IOException {
        Path file = root.resolve(key);
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                content.writeTo(w);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write failed already, which is what the caller must hear about
            }
            throw new IOException("cannot write " + file + ": " + e, e);
        }
    }

    @Override
    public int deleteWrittenBefore(Instant cutoff) throws IOException {
        int deleted = 0;
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (DirectoryStream<Path> models = Files.newDirectoryStream(root)) {
            for (Path model : models) {
                for (String kind : List.of("windows", "labeled")) {
                    Path dir = model.resolve(kind);
                    if (!Files.isDirectory(dir)) {
                        continue;
                    }
                    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.csv")) {
                        for (Path f : files) {
                            if (Files.getLastModifiedTime(f).toInstant().isBefore(cutoff)) {
                                Files.deleteIfExists(f);
                                deleted++;
                            }
                        }
                    }
                }
            }
        }
        return deleted;
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
