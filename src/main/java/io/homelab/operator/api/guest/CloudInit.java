package io.homelab.operator.api.guest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.homelab.operator.api.Patterns;
import java.util.List;

/** First-boot settings: cloud-init for a VM, the root user's SSH keys for a container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CloudInit {

  @Size(max = 32)
  @Pattern(Patterns.UNIX_USER)
  @JsonPropertyDescription("User cloud-init creates in a VM.")
  private String user;

  @Size(max = 32)
  @JsonPropertyDescription("SSH public keys allowed to log in (authorized_keys lines).")
  private List<@Size(max = 16384) @Pattern(Patterns.SSH_PUBLIC_KEY) String> sshKeys;

  public String getUser() {
    return user;
  }

  public void setUser(String user) {
    this.user = user;
  }

  public List<String> getSshKeys() {
    return sshKeys;
  }

  public void setSshKeys(List<String> sshKeys) {
    this.sshKeys = sshKeys;
  }
}
