package io.homelab.operator.model;

import io.homelab.operator.api.edge.AllowedRoutes;
import io.homelab.operator.api.edge.NamespaceSelector;
import io.homelab.operator.api.edge.NamespacesFrom;
import io.homelab.operator.api.edge.RouteNamespaces;
import io.homelab.operator.api.edge.SelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * An Edge's {@code allowedRoutes}, applied to one Route: by namespace ({@code Same}, {@code All} or
 * a label {@code Selector}) and by host-name suffix. Pure: the caller supplies the labels of the
 * Route's namespace.
 */
public final class RouteAdmission {

  private RouteAdmission() {}

  /**
   * Decides whether the Edge in {@code edgeNamespace} admits a Route.
   *
   * @param allowed the Edge's allowedRoutes, or null for the defaults (same namespace, any name)
   * @param routeNamespaceLabels labels of the Route's namespace (needed for Selector only)
   */
  public static Admission admit(
      AllowedRoutes allowed,
      String edgeName,
      String edgeNamespace,
      String routeNamespace,
      Map<String, String> routeNamespaceLabels,
      String hostname) {
    RouteNamespaces namespaces = allowed == null ? null : allowed.getNamespaces();
    NamespacesFrom from =
        namespaces == null || namespaces.getFrom() == null
            ? NamespacesFrom.Same
            : namespaces.getFrom();
    boolean namespaceAllowed =
        switch (from) {
          case Same -> edgeNamespace.equals(routeNamespace);
          case All -> true;
          case Selector ->
              matches(
                  namespaces.getSelector(),
                  routeNamespaceLabels == null ? Map.of() : routeNamespaceLabels);
        };
    if (!namespaceAllowed) {
      return Admission.refuse(
          Admission.NOT_ALLOWED_BY_EDGE,
          "Edge "
              + edgeNamespace
              + "/"
              + edgeName
              + " does not admit Routes from namespace "
              + routeNamespace
              + " (allowedRoutes.namespaces.from: "
              + from
              + ")");
    }
    List<String> suffixes = allowed == null ? null : allowed.getHostnames();
    if (suffixes != null && !suffixes.isEmpty()) {
      boolean hostAllowed = suffixes.stream().anyMatch(s -> hostnameMatches(s, hostname));
      if (!hostAllowed) {
        return Admission.refuse(
            Admission.HOSTNAME_NOT_ALLOWED,
            "Edge "
                + edgeNamespace
                + "/"
                + edgeName
                + " does not serve "
                + hostname
                + "; it serves "
                + String.join(", ", suffixes));
      }
    }
    return Admission.allow("Admitted by Edge " + edgeNamespace + "/" + edgeName);
  }

  /**
   * Whether a host name falls under an allowed suffix: {@code example.com} admits the name itself
   * and every name under it; {@code *.example.com} admits only names under it.
   */
  public static boolean hostnameMatches(String suffix, String hostname) {
    if (suffix.startsWith("*.")) {
      return hostname.endsWith(suffix.substring(1));
    }
    return hostname.equals(suffix) || hostname.endsWith("." + suffix);
  }

  /**
   * Label-selector semantics of Kubernetes: every term must hold; an empty selector matches all.
   */
  public static boolean matches(NamespaceSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> term : selector.getMatchLabels().entrySet()) {
        if (!term.getValue().equals(labels.get(term.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (SelectorRequirement requirement : selector.getMatchExpressions()) {
        if (!holds(requirement, labels)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean holds(SelectorRequirement requirement, Map<String, String> labels) {
    String value = labels.get(requirement.getKey());
    List<String> values = requirement.getValues() == null ? List.of() : requirement.getValues();
    return switch (requirement.getOperator()) {
      case In -> value != null && values.contains(value);
      case NotIn -> value == null || !values.contains(value);
      case Exists -> labels.containsKey(requirement.getKey());
      case DoesNotExist -> !labels.containsKey(requirement.getKey());
    };
  }
}
