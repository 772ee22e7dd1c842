package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaddyPlanTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @CsvSource({
    ":443, :443, true",
    ":443, 0.0.0.0:443, true",
    "[::]:443, 203.0.113.10:443, true",
    "tcp/:443, :443, true",
    "127.0.0.1:443, 203.0.113.10:443, false",
    "127.0.0.1:443, 127.0.0.1:443, true",
    ":80, :443, false",
    "localhost:2019, :2019, true"
  })
  void listenersOverlapOnTheSamePortUnlessBothHostsAreSpecificAndDiffer(
      String a, String b, boolean overlap) {
    assertThat(CaddyPlan.overlaps(a, b)).isEqualTo(overlap);
    assertThat(CaddyPlan.overlaps(b, a)).isEqualTo(overlap);
  }

  @Test
  void theConflictNamesTheOtherServerNotOurs() throws Exception {
    JsonNode servers =
        JSON.readTree(
            "{\"homelab\": {\"listen\": [\":443\"]}, \"site\": {\"listen\": [\":8080\", \":443\"]}}");
    assertThat(CaddyPlan.listenerConflict(servers, "homelab", List.of(":80", ":443")))
        .contains(new CaddyPlan.ListenerConflict("site", ":443"));
    assertThat(CaddyPlan.listenerConflict(servers, "homelab", List.of(":80"))).isEmpty();
    assertThat(CaddyPlan.listenerConflict(null, "homelab", List.of(":80"))).isEmpty();
  }

  @Test
  void ourRoutesComeFirstAndTheirsKeepTheirOrder() throws Exception {
    JsonNode current =
        JSON.readTree(
            "[{\"@id\": \"homelab-x-00000000000000aa\"}, {\"handle\": [1]}, {\"@id\": \"theirs\"},"
                + " {\"handle\": [2]}]");
    JsonNode ours = JSON.readTree("{\"@id\": \"homelab-x-00000000000000bb\"}");
    assertThat(CaddyPlan.withOurRoutes(current, List.of(ours), "homelab-x-").toString())
        .isEqualTo(
            "[{\"@id\":\"homelab-x-00000000000000bb\"},{\"handle\":[1]},{\"@id\":\"theirs\"},"
                + "{\"handle\":[2]}]");
    assertThat(CaddyPlan.ourRoutes(current, "homelab-x-")).hasSize(1);
    assertThat(CaddyPlan.ourRoutes(current, "homelab-y-")).isEmpty();
  }

  /**
   * An installation's prefix also begins the ids of an installation whose ownerId extends it
   * ("test" and "test-other"): those routes are theirs, and so is anything longer or shorter than a
   * compact id.
   */
  @ParameterizedTest(name = "{0}: ours {1}")
  @CsvSource({
    "homelab-test-0123456789abcdef, true",
    "homelab-test-other-0123456789abcdef, false",
    "homelab-test-0123456789abcdef-0123456789abcdef, false",
    "homelab-test-0123456789abcde, false",
    "homelab-test-0123456789ABCDEF, false",
    "homelab-test-tls-0123456789abcdef, false",
    "homelab-other-0123456789abcdef, false"
  })
  void onlyACompactIdOfThisInstallationIsOurs(String id, boolean ours) {
    assertThat(CaddyPlan.isOurs(JSON.createObjectNode().put("@id", id), "homelab-test-"))
        .isEqualTo(ours);
    assertThat(
            CaddyPlan.isOurs(
                JSON.createObjectNode()
                    .put("@id", new OwnerMarker("test", "Route", "ns", "app").compactId()),
                OwnerMarker.idPrefix("test")))
        .isTrue();
  }

  @Test
  void duplicateIdsAreNamedOnce() throws Exception {
    List<JsonNode> routes =
        List.of(
            JSON.readTree("{\"@id\": \"a\"}"),
            JSON.readTree("{\"@id\": \"b\"}"),
            JSON.readTree("{\"@id\": \"a\"}"),
            JSON.readTree("{\"@id\": \"a\"}"),
            JSON.readTree("{}"));
    assertThat(CaddyPlan.duplicateIds(routes)).containsExactly("a");
  }
}
