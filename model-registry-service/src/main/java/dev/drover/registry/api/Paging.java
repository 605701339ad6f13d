package dev.drover.registry.api;

import dev.drover.platform.http.ApiException;
import dev.drover.registry.readmodel.Page;
import dev.drover.registry.readmodel.RegistryQueries;
import io.micronaut.http.HttpStatus;

import java.util.function.Supplier;

/** The {@code limit} and {@code pageToken} of list reads, with errors that say what is allowed. */
final class Paging {
    private Paging() {
    }

    static int limit(Integer limit) {
        return limit == null ? ModelController.DEFAULT_PAGE_SIZE : limit;
    }

    static <T> Page<T> page(Supplier<Page<T>> read) {
        try {
            return read.get();
        } catch (RegistryQueries.InvalidQueryException e) {
            throw ApiException.of(HttpStatus.BAD_REQUEST, "invalid_argument", e.getMessage(),
                    "use limit between 1 and " + RegistryQueries.MAX_PAGE_SIZE + " and a pageToken from the "
                            + "previous page");
        }
    }
}
