package io.homelab.operator.api.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Writes the table of {@code schema/bad-manifests.yaml} as one file per case under {@code
 * target/bad-manifests/}, for the kind workflow to apply to a real API server: {@code NN-name.yaml}
 * (the manifest), {@code NN-name.old.yaml} for an update (the stored object, applied first) and
 * {@code NN-name.expect} (the messages, one a line; empty: it must be accepted).
 */
class BadManifestFilesTest {

  static final Path DIR = Path.of("target", "bad-manifests");

  @Test
  void everyCaseIsWrittenAndReadsBackAsItsManifest() throws IOException {
    List<BadManifest> cases = BadManifest.load();
    Files.createDirectories(DIR);
    try (var old = Files.list(DIR)) {
      for (Path f : old.toList()) {
        Files.delete(f);
      }
    }
    int n = 0;
    for (BadManifest c : cases) {
      String base =
          String.format(
              Locale.ROOT,
              "%02d-%s",
              ++n,
              c.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
      Files.writeString(DIR.resolve(base + ".yaml"), Crds.YAML.writeValueAsString(c.manifest()));
      if (c.old() != null) {
        Files.writeString(DIR.resolve(base + ".old.yaml"), Crds.YAML.writeValueAsString(c.old()));
      }
      Files.writeString(
          DIR.resolve(base + ".expect"),
          c.expected().isEmpty() ? "" : String.join("\n", c.expected()) + "\n");
      JsonNode back = Crds.YAML.readTree(DIR.resolve(base + ".yaml").toFile());
      assertThat(back).as(base).isEqualTo(c.manifest());
    }
    assertThat(cases).isNotEmpty();
    try (var files = Files.list(DIR)) {
      assertThat(files.filter(f -> f.toString().endsWith(".expect")).count())
          .isEqualTo(cases.size());
    }
  }
}
