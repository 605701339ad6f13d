package dev.drover.monitor.readmodel;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One page of a list, and the token of the next page (null: this is the last one).
 *
 * @param nextPageToken opaque; pass it back as {@code pageToken} to read on
 */
@Serdeable
public record Page<T>(List<T> items, String nextPageToken) {

    public Page {
        items = List.copyOf(items);
    }
}
