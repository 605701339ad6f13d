package dev.drover.platform.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;

/**
 * The files the first start keeps secrets in (admin password, tokens, the secret key): readable and writable by
 * their owner only, written atomically (a crash leaves the old file or the new one, never half of one), and reused
 * if found, so a start that died half-way is completed by the next with the same secrets.
 */
public final class OwnerOnlyFiles {
    private OwnerOnlyFiles() {
    }

    /** The text kept in {@code file}, trimmed; written first from {@code create} if the file is not there yet. */
    public static String readOrCreate(Path file, Supplier<String> create) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String value = create.get();
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            ownerOnly(tmp);
            Files.writeString(tmp, value + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep " + file, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
            file.toFile().setWritable(false, false);
            file.toFile().setWritable(true, true);
        }
    }
}
