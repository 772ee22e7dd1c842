package io.homelab.operator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP status codes a probe accepts, written as codes ({@code 200}), classes ({@code 2xx}) and
 * ranges ({@code 200-399}).
 *
 * @param ranges inclusive [low, high] pairs
 * @param text how the user wrote them, for messages
 */
public record ExpectedStatus(List<int[]> ranges, String text) {

  private static final Pattern ITEM =
      Pattern.compile("^([1-5][0-9]{2})$|^([1-5])xx$|^([1-5][0-9]{2})-([1-5][0-9]{2})$");

  /**
   * Parses the items.
   *
   * @throws IllegalArgumentException naming the item that is not a code, class or range
   */
  public static ExpectedStatus parse(List<String> items) {
    if (items == null || items.isEmpty()) {
      throw new IllegalArgumentException("no status codes given");
    }
    List<int[]> ranges = new ArrayList<>();
    for (String raw : items) {
      String item = raw == null ? "" : raw.trim();
      Matcher m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "'" + item + "' is not a status code (200), class (2xx) or range (200-399)");
      }
      if (m.group(1) != null) {
        int code = Integer.parseInt(m.group(1));
        ranges.add(new int[] {code, code});
      } else if (m.group(2) != null) {
        int hundred = Integer.parseInt(m.group(2)) * 100;
        ranges.add(new int[] {hundred, hundred + 99});
      } else {
        int low = Integer.parseInt(m.group(3));
        int high = Integer.parseInt(m.group(4));
        if (low > high) {
          throw new IllegalArgumentException(
              "the range '" + item + "' is empty: write the lower code first");
        }
        ranges.add(new int[] {low, high});
      }
    }
    return new ExpectedStatus(
        List.copyOf(ranges), String.join(", ", items.stream().map(String::trim).toList()));
  }

  public boolean accepts(int status) {
    return ranges.stream().anyMatch(r -> status >= r[0] && status <= r[1]);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ExpectedStatus e && e.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
