package io.homelab.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** How the operator logs in to a host over SSH: key authentication and a pinned host key. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SshAccess {

  @Required
  @Size(max = 253)
  @Pattern(Patterns.HOST)
  @JsonPropertyDescription("Host name or IP address the operator connects to.")
  private String host;

  @Min(1)
  @Max(65535)
  @Default("22")
  @JsonPropertyDescription("TCP port of the SSH server.")
  private Integer port = 22;

  @Size(max = 32)
  @Pattern(Patterns.UNIX_USER)
  @Default("root")
  @JsonPropertyDescription(
      "User to log in as. A non-root user needs sudo: true and password-less sudo for the"
          + " commands the operator runs.")
  private String user = "root";

  @Default("false")
  @JsonPropertyDescription(
      "Run the scripts as the user and each privileged command in them through 'sudo -n'"
          + " (for a non-root user; SECURITY.md has the sudo rule).")
  private Boolean sudo = false;

  @Required
  @JsonPropertyDescription(
      "The Secret key holding the private key (OpenSSH or PEM format) the operator logs in with.")
  private SecretKeyRef privateKeySecretRef;

  @Required
  @Size(max = 8192)
  @Pattern(Patterns.SSH_HOST_KEY)
  @JsonPropertyDescription(
      "The server's host key, pinned: a line as 'ssh-keyscan' prints it without the host"
          + " ('ssh-ed25519 AAAA...'), or its 'SHA256:' fingerprint. A server presenting another"
          + " key is refused and nothing runs on it.")
  private String hostKey;

  @Min(1)
  @Max(300)
  @Default("10")
  @JsonPropertyDescription("Seconds to wait for the connection and login.")
  private Integer connectTimeoutSeconds = 10;

  @Min(1)
  @Max(3600)
  @Default("60")
  @JsonPropertyDescription("Seconds any single command may run before it is abandoned.")
  private Integer commandTimeoutSeconds = 60;

  public String getHost() {
    return host;
  }

  public void setHost(String host) {
    this.host = host;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public Boolean getSudo() {
    return sudo;
  }

  public void setSudo(Boolean sudo) {
    this.sudo = sudo;
  }

  public SecretKeyRef getPrivateKeySecretRef() {
    return privateKeySecretRef;
  }

  public void setPrivateKeySecretRef(SecretKeyRef privateKeySecretRef) {
    this.privateKeySecretRef = privateKeySecretRef;
  }

  public String getHostKey() {
    return hostKey;
  }

  public void setHostKey(String hostKey) {
    this.hostKey = hostKey;
  }

  public Integer getConnectTimeoutSeconds() {
    return connectTimeoutSeconds;
  }

  public void setConnectTimeoutSeconds(Integer connectTimeoutSeconds) {
    this.connectTimeoutSeconds = connectTimeoutSeconds;
  }

  public Integer getCommandTimeoutSeconds() {
    return commandTimeoutSeconds;
  }

  public void setCommandTimeoutSeconds(Integer commandTimeoutSeconds) {
    this.commandTimeoutSeconds = commandTimeoutSeconds;
  }
}
