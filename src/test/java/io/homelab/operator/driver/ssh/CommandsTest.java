package io.homelab.operator.driver.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "id -u | false | bash -c 'id -u'",
        "id -u | true | sudo -n bash -c 'id -u'",
        "echo 'it''s' | false | bash -c 'echo '\\''it'\\'''\\''s'\\'''",
      })
  void oneCommandLinePerScript(String script, boolean sudo, String expected) {
    assertThat(Commands.commandLine(script, sudo)).isEqualTo(expected);
  }
}
