package io.homelab.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a request to the API server becomes the right it needs, and what a role grants. */
class RbacTest {

  @ParameterizedTest(name = "{0} {1} needs {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET|/apis/homelab.io/v1alpha1/routes?resourceVersion=0|homelab.io/routes list",
        "GET|/apis/homelab.io/v1alpha1/routes?allowWatchBookmarks=true&watch=true|homelab.io/routes watch",
        "GET|/apis/homelab.io/v1alpha1/namespaces/ha/routes?watch=true|homelab.io/routes watch",
        "GET|/api/v1/namespaces/ha/secrets/npm-login|/secrets get",
        "POST|/api/v1/namespaces/ha/events|/events create",
        "PUT|/apis/coordination.k8s.io/v1/namespaces/ha/leases/l|coordination.k8s.io/leases update",
        "PATCH|/apis/homelab.io/v1alpha1/namespaces/ha/edges/vps/status|homelab.io/edges/status patch",
        "DELETE|/api/v1/namespaces/ha/secrets/vps-wireguard|/secrets delete",
        "DELETE|/api/v1/namespaces/ha/secrets|/secrets deletecollection",
        "GET|/api/v1/namespaces|/namespaces list",
        "GET|/api/v1/namespaces/ha|/namespaces get",
        "GET|/apis/apiextensions.k8s.io/v1/customresourcedefinitions/routes.homelab.io|apiextensions.k8s.io/customresourcedefinitions get",
      })
  void aRequestNeedsOneRight(String method, String target, String right) {
    assertThat(Rbac.needed(method, target)).isEqualTo(right);
  }

  @Test
  void requestsOutsideTheResourceApiNeedNone() {
    for (String target :
        List.of("/version", "/api", "/apis", "/apis/homelab.io/v1alpha1", "/openapi/v3")) {
      assertThat(Rbac.needed("GET", target)).as(target).isNull();
    }
  }

  @Test
  void aRoleGrantsEveryGroupResourceAndVerbItNames() {
    var role =
        Charts.parse(
            "kind: Role\nrules:\n- apiGroups: ['', apps]\n  resources: [secrets]\n"
                + "  verbs: [get, list]\n---\nkind: ConfigMap\ndata: {}\n");
    assertThat(Rbac.granted(role))
        .containsExactlyInAnyOrder(
            "/secrets get", "/secrets list", "apps/secrets get", "apps/secrets list");
  }
}
