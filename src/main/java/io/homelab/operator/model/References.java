package io.homelab.operator.model;

import io.homelab.operator.status.ConditionType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reference checks shared by the kinds. Pure: the caller looks objects up in its caches and passes
 * what it found.
 */
public final class References {

  public static final String RESOLVED = "ResolvedRefs";
  public static final String EDGE_NOT_FOUND = "EdgeNotFound";
  public static final String TUNNEL_NOT_FOUND = "TunnelNotFound";
  public static final String GUEST_NOT_FOUND = "GuestNotFound";
  public static final String BACKEND_NOT_READY = "BackendNotReady";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String SECRET_KEY_MISSING = "SecretKeyMissing";

  /** A Secret's key holds something that cannot be what the field asks for (a malformed key). */
  public static final String SECRET_VALUE_INVALID = "SecretValueInvalid";

  private References() {}

  /**
   * The first problem with the Secrets an object names, if any.
   *
   * @param namespace the object's namespace (the Secrets' namespace)
   * @param secretKeys the keys of a Secret by name, empty when there is no such Secret
   */
  public static Optional<Verdict> checkSecrets(
      String namespace, List<SecretUse> uses, Function<String, Optional<Set<String>>> secretKeys) {
    for (SecretUse use : uses) {
      Optional<Set<String>> keys = secretKeys.apply(use.name());
      if (keys.isEmpty()) {
        return Optional.of(
            unresolved(
                SECRET_NOT_FOUND,
                "Secret "
                    + namespace
                    + "/"
                    + use.name()
                    + " ("
                    + use.field()
                    + ") does not exist"));
      }
      List<String> missing = use.keys().stream().filter(k -> !keys.get().contains(k)).toList();
      if (!missing.isEmpty()) {
        return Optional.of(
            unresolved(
                SECRET_KEY_MISSING,
                "Secret "
                    + namespace
                    + "/"
                    + use.name()
                    + " ("
                    + use.field()
                    + ") has no key "
                    + String.join(", ", missing)));
      }
    }
    return Optional.empty();
  }

  /** The keys of a Secret's data and stringData. */
  public static Set<String> keysOf(Map<String, String> data, Map<String, String> stringData) {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    if (data != null) {
      keys.addAll(data.keySet());
    }
    if (stringData != null) {
      keys.addAll(stringData.keySet());
    }
    return keys;
  }

  public static Verdict unresolved(String reason, String message) {
    return Verdict.isFalse(ConditionType.RESOLVED_REFS, reason, message);
  }

  public static Verdict resolved(String message) {
    return Verdict.isTrue(ConditionType.RESOLVED_REFS, RESOLVED, message);
  }
}
