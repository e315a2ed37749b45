package dev.lockstep.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * A page of a cursor-paginated list (reference payments-api-conventions "Pagination").
 *
 * @param object always {@code list}
 * @param nextCursor the id to pass as {@code starting_after} for the next page, when {@code
 *     has_more}; on the last page {@code null}, written out (reference platform-docs "Pagination":
 *     the last page says {@code "next_cursor": null})
 */
public record ListPage<T>(
    String object,
    List<T> data,
    boolean hasMore,
    @JsonInclude(JsonInclude.Include.ALWAYS) Optional<String> nextCursor) {
  public static <T> ListPage<T> of(List<T> data, boolean hasMore, Optional<String> nextCursor) {
    return new ListPage<>("list", data, hasMore, nextCursor);
  }
}
