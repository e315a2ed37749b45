package dev.lockstep.api;

import java.util.List;
import java.util.Optional;

/**
 * A page of a cursor-paginated list (reference payments-api-conventions "Pagination").
 *
 * @param object always {@code list}
 * @param nextCursor the id to pass as {@code starting_after} for the next page, when {@code
 *     has_more}
 */
public record ListPage<T>(
    String object, List<T> data, boolean hasMore, Optional<String> nextCursor) {
  public static <T> ListPage<T> of(List<T> data, boolean hasMore, Optional<String> nextCursor) {
    return new ListPage<>("list", data, hasMore, nextCursor);
  }
}
