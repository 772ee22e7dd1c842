package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TunnelAddressesTest {

  @ParameterizedTest(name = "{0}, edge {1}, taken [{2}] -> {3}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "10.77.0.0/24   | 10.77.0.1  | -                    | 10.77.0.2",
        "10.77.0.0/24   | 10.77.0.1  | 10.77.0.2            | 10.77.0.3",
        "10.77.0.0/24   | 10.77.0.1  | 10.77.0.3            | 10.77.0.2",
        "10.77.0.0/24   | 10.77.0.9  | -                    | 10.77.0.1",
        "10.77.0.128/25 | 10.77.0.129| -                    | 10.77.0.130",
        "10.77.0.0/30   | 10.77.0.1  | 10.77.0.2            | -",
        "10.77.0.0/30   | 10.77.0.1  | -                    | 10.77.0.2",
        "10.77.1.0/23   | 10.77.0.1  | -                    | 10.77.0.2",
      })
  void theLowestFreeHostAddress(String network, String edge, String taken, String expected) {
    List<String> takenList = taken == null ? List.of() : Arrays.asList(taken.split(" "));
    assertThat(TunnelAddresses.allocate(network, edge, takenList).orElse(null)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "10.77.0.0/24 | -          | 10.77.0.1 | 10.77.0.1/24",
        "10.77.0.0/24 | 10.77.0.50 | 10.77.0.50 | 10.77.0.50/24",
        "10.77.4.0/22 | -          | 10.77.4.1 | 10.77.4.1/22",
      })
  void theEdgeAddress(String network, String explicit, String address, String onInterface) {
    assertThat(TunnelAddresses.edgeAddress(network, explicit)).isEqualTo(address);
    assertThat(TunnelAddresses.onInterface(address, network)).isEqualTo(onInterface);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "10.77.0.2/32   | 10.77.0.0/24 | true",
        "10.77.0.0/24   | 10.77.0.0/24 | true",
        "10.77.0.0/16   | 10.77.0.0/24 | false",
        "192.168.1.0/24 | 10.77.0.0/24 | false",
        "fd00::/64      | 10.77.0.0/24 | false",
        "10.77.0.7      | 10.77.0.0/24 | true",
      })
  void whatLiesInsideTheNetwork(String cidr, String network, boolean inside) {
    assertThat(TunnelAddresses.inside(cidr, network)).isEqualTo(inside);
  }
}
