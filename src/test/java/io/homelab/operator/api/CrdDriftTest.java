package io.homelab.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed in {@code crds/} are exactly what the API classes generate, with the same
 * generator and post-processor the build uses, so a change to the API cannot ship with stale CRDs.
 */
class CrdDriftTest {

  static final Path COMMITTED = Path.of("crds");
  static final Path GENERATED = Path.of("target", "generated-crds");

  @Test
  void committedCrdsMatchTheApiClasses() throws IOException {
    if (Files.exists(GENERATED)) {
      try (Stream<Path> old = Files.list(GENERATED)) {
        for (Path p : old.toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(GENERATED);
    new CRDGenerator()
        .customResourceClasses(Edge.class, Tunnel.class, Route.class, Guest.class)
        .forCRDVersions("v1")
        .withPostProcessor(new CrdPostProcessor())
        .inOutputDir(GENERATED.toFile())
        .generate();

    List<String> generated = names(GENERATED);
    assertThat(generated).hasSize(4);
    List<String> stale = new ArrayList<>();
    for (String name : generated) {
      Path committed = COMMITTED.resolve(name);
      if (!Files.exists(committed)
          || !Files.readString(committed).equals(Files.readString(GENERATED.resolve(name)))) {
        stale.add(name);
      }
    }
    List<String> extra = new ArrayList<>(names(COMMITTED));
    extra.removeAll(generated);
    assertThat(stale)
        .as(
            "CRDs in crds/ differ from what the API classes generate; update them with"
                + " 'cp target/generated-crds/*.yml crds/' and commit")
        .isEmpty();
    assertThat(extra).as("files in crds/ that no API class generates").isEmpty();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .sorted()
          .toList();
    }
  }
}
