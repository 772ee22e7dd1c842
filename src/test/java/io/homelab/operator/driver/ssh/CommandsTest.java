package io.homelab.operator.driver.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "id -u | bash -c 'id -u'",
        "echo 'it''s' | bash -c 'echo '\\''it'\\'''\\''s'\\'''",
      })
  void oneCommandLinePerScript(String script, String expected) {
    assertThat(Commands.commandLine(script)).isEqualTo(expected);
  }
}
