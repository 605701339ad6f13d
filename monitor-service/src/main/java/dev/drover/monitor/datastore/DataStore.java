package dev.drover.monitor.datastore;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;

/**
 * Where production data files go: a directory or an S3-compatible bucket, behind the three things the monitor does
 * with them. Keys are relative, slash-separated names ({@code <model>/windows/<window id>.csv}).
 *
 * <p>A write replaces the whole object at once, so a reader never sees half of it, and writing the same key again
 * (a window closed again after a restart) leaves the same content: what makes the monitor's production data exactly
 * once (ProductionData).
 */
public sealed interface DataStore extends AutoCloseable permits DirectoryStore, S3Store {
    /** Writes an object's content. */
    interface Content {
        void writeTo(Writer out) throws IOException;
    }

    /** The location of a key as events, retrain parameters and REST name it: a path, or an {@code s3://} URI. */
    String location(String key);

    /**
     * Writes the object at {@code key} whole, replacing any that was there.
     *
     * @throws IOException when it is not stored; its message names the location
     */
    void write(String key, Content content) throws IOException;

    /**
     * Deletes the objects at {@code <model>/windows/*.csv} and {@code <model>/labeled/*.csv} last written before
     * {@code cutoff}.
     *
     * @return how many were deleted
     * @throws IOException when the sweep stopped (those deleted until then stay deleted)
     */
    int deleteWrittenBefore(Instant cutoff) throws IOException;

    @Override
    void close();

    /** The store of a location: S3 settings are used only for an {@code s3://} one. */
    static DataStore open(DataLocation location, S3Settings s3) {
        if (location instanceof DataLocation.S3 bucket) {
            return new S3Store(bucket, s3);
        }
        return new DirectoryStore(((DataLocation.Directory) location).path());
    }
}
