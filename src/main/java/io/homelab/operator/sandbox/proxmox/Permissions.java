package io.homelab.operator.sandbox.proxmox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an API token with privilege separation may do: privileges granted on ACL paths (each grant
 * propagates to the paths below it, as with "Propagate" ticked), held to the permission check the
 * official schema gives for each operation ({@code sandbox/proxmox/pve-api-permissions.json}).
 * Until a first grant the token is not separated and may do everything, as a user's own token.
 */
final class Permissions {

  static final String RESOURCE = "/sandbox/proxmox/pve-api-permissions.json";

  private final Map<String, JsonNode> operations;
  private final Map<String, Set<String>> grants = new LinkedHashMap<>();

  private Permissions(Map<String, JsonNode> operations) {
    this.operations = operations;
  }

  static Permissions load() {
    try (InputStream in = Permissions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Map<String, JsonNode> operations = new LinkedHashMap<>();
      new ObjectMapper()
          .readTree(in)
          .get("operations")
          .fields()
          .forEachRemaining(e -> operations.put(e.getKey(), e.getValue()));
      return new Permissions(operations);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void grant(String path, Collection<String> privileges) {
    grants.computeIfAbsent(path, p -> new java.util.TreeSet<>()).addAll(privileges);
  }

  /** Whether the token holds the privilege on the path, by a grant there or above it. */
  synchronized boolean has(String path, String privilege) {
    if (grants.isEmpty()) {
      return true;
    }
    for (Map.Entry<String, Set<String>> grant : grants.entrySet()) {
      String on = grant.getKey();
      boolean covers =
          on.equals("/") || path.equals(on) || path.startsWith(on.endsWith("/") ? on : on + "/");
      if (covers && grant.getValue().contains(privilege)) {
        return true;
      }
    }
    return false;
  }

  /** Whether lists show the guest: VM.Audit on {@code /vms/{vmid}}. */
  boolean sees(Object vmid) {
    return has("/vms/" + vmid, "VM.Audit");
  }

  /**
   * Why the call is refused, as Proxmox words it ({@code Permission check failed (/vms/100,
   * VM.Allocate)}); empty when it is allowed.
   *
   * @param operation {@code METHOD template}
   * @param values path values and parameters of the request
   */
  Optional<String> denied(String operation, Map<String, String> values) {
    JsonNode facts = operations.get(operation);
    List<String> missing = new ArrayList<>();
    boolean allowed;
    if (facts != null && facts.has("check")) {
      allowed = holds(facts.get("check"), values, missing);
    } else {
      allowed = true;
    }
    // Creates have no check expression in the schema; their rule, from its permission notes:
    // VM.Allocate on the new guest's path.
    if (allowed
        && (operation.equals("POST /nodes/{node}/qemu")
            || operation.equals("POST /nodes/{node}/lxc"))) {
      allowed = holds(perm("/vms/{vmid}", "VM.Allocate"), values, missing);
    }
    // Clones and creates also need Datastore.AllocateSpace on the storage they put disks on.
    if (allowed
        && values.containsKey("storage")
        && (operation.endsWith("/clone") || operation.equals("POST /nodes/{node}/lxc"))) {
      allowed = holds(perm("/storage/{storage}", "Datastore.AllocateSpace"), values, missing);
    }
    return allowed || missing.isEmpty()
        ? Optional.empty()
        : Optional.of("Permission check failed (" + missing.get(0) + ")");
  }

  private static JsonNode perm(String path, String privilege) {
    ObjectMapper json = new ObjectMapper();
    return json.createArrayNode().add("perm").add(path).add(json.createArrayNode().add(privilege));
  }

  private boolean holds(JsonNode check, Map<String, String> values, List<String> missing) {
    String op = check.get(0).asText();
    switch (op) {
      case "and" -> {
        for (int i = 1; i < check.size(); i++) {
          if (!holds(check.get(i), values, missing)) {
            return false;
          }
        }
        return true;
      }
      case "or" -> {
        List<String> inner = new ArrayList<>();
        for (int i = 1; i < check.size(); i++) {
          if (holds(check.get(i), values, inner)) {
            return true;
          }
        }
        missing.addAll(inner);
        return false;
      }
      case "perm" -> {
        String path = substitute(check.get(1).asText(), values);
        boolean any = false;
        for (int i = 3; i + 1 < check.size(); i += 2) {
          String option = check.get(i).asText();
          if (option.equals("any")) {
            any = check.get(i + 1).asInt() == 1;
          } else if (option.equals("require_param")
              && !values.containsKey(check.get(i + 1).asText())) {
            return false;
          }
        }
        List<String> lacking = new ArrayList<>();
        int held = 0;
        for (JsonNode privilege : check.get(2)) {
          if (has(path, privilege.asText())) {
            held++;
          } else {
            lacking.add(privilege.asText());
          }
        }
        boolean ok = any ? held > 0 : lacking.isEmpty();
        if (!ok) {
          missing.add(path + ", " + String.join(" | ", lacking));
        }
        return ok;
      }
      default -> {
        // userid-param, userid-group: calls about users, which the operator never makes.
        missing.add("/access, " + op);
        return false;
      }
    }
  }

  private static String substitute(String template, Map<String, String> values) {
    String path = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      path = path.replace("{" + e.getKey() + "}", e.getValue());
    }
    return path;
  }
}
