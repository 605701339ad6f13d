package dev.drover.monitor.readmodel;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One page of a list, and the token of the next page (null: this is the last one).
 *
 * @param nextPageToken opaque; pass it back as {@code pageToken} to read on
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS) // an empty list is {"items": [], "nextPageToken": null}, not {}
public record Page<T>(List<T> items, String nextPageToken) {

    public Page {
        items = List.copyOf(items);
    }
}
