package io.homelab.operator.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void namesComeOutOfSelectorsFunctionsAndAggregations() {
    assertThat(
            PromQlNames.metrics(
                "histogram_quantile(0.95, sum by (le, system) (rate("
                    + "homelab_external_calls_seconds_bucket{system=~\"$system\"}[5m])))"))
        .containsExactly("homelab_external_calls_seconds_bucket");
    assertThat(
            PromQlNames.metrics(
                "sum(rate(a_total{outcome!=\"success\"}[10m])) by (system)"
                    + " / sum(rate(b_total[10m])) by (system) > 0.2"))
        .containsExactly("a_total", "b_total");
    assertThat(PromQlNames.metrics("max_over_time(up[5m]) == 0 and on(namespace) foo offset 5m"))
        .containsExactly("up", "foo");
    assertThat(PromQlNames.metrics("homelab_object_ready{kind=\"Route\"} == bool 0"))
        .containsExactly("homelab_object_ready");
  }

  @Test
  void aScrapeNamesEverySample() {
    String scrape =
        "# HELP x_total things\n# TYPE x_total counter\nx_total{a=\"b c\"} 1.0\ny 2\n\n"
            + "z_bucket{le=\"+Inf\"} 3\n";
    assertThat(PromQlNames.exported(scrape)).containsExactly("x_total", "y", "z_bucket");
  }
}
