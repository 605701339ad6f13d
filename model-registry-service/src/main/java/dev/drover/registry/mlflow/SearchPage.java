package dev.drover.registry.mlflow;

import java.util.List;

/** One page of a search, and the token of the next page (null on the last page). */
public record SearchPage<T>(List<T> items, String nextPageToken) {

    public SearchPage {
        items = List.copyOf(items);
    }
}
