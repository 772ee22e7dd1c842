package io.homelab.operator.driver.probe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificates a probe trusts: the JVM's default trust store, plus the CA certificates of an
 * optional PEM file (an Edge whose Caddy issues from its internal CA). The file is read again when
 * its modification time changes, so a renewed CA needs no restart.
 */
public final class ProbeTrust {

  private final Optional<Path> caFile;
  private SSLSocketFactory factory;
  private FileTime loadedAt;

  public ProbeTrust(Optional<Path> caFile) {
    this.caFile = caFile;
  }

  /**
   * The socket factory for the current trust.
   *
   * @throws IOException when the CA file cannot be read or holds no certificate
   */
  public synchronized SSLSocketFactory factory() throws IOException {
    FileTime modified =
        caFile.isPresent() && Files.exists(caFile.get())
            ? Files.getLastModifiedTime(caFile.get())
            : null;
    if (factory == null || (modified != null && !modified.equals(loadedAt))) {
      factory = build(modified);
      loadedAt = modified;
    }
    return factory;
  }

  private SSLSocketFactory build(FileTime modified) throws IOException {
    try {
      if (caFile.isEmpty()) {
        return SSLContext.getDefault().getSocketFactory();
      }
      if (modified == null) {
        throw new IOException("the CA file " + caFile.get() + " does not exist");
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (X509Certificate ca : defaultAuthorities()) {
        store.setCertificateEntry("default-" + n++, ca);
      }
      List<Certificate> extra = new ArrayList<>();
      try (InputStream in = Files.newInputStream(caFile.get())) {
        extra.addAll(CertificateFactory.getInstance("X.509").generateCertificates(in));
      }
      if (extra.isEmpty()) {
        throw new IOException("the CA file " + caFile.get() + " holds no certificate");
      }
      for (Certificate ca : extra) {
        store.setCertificateEntry("file-" + n++, ca);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IOException("the probe's trust could not be set up: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> defaultAuthorities() throws GeneralSecurityException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init((KeyStore) null);
    List<X509Certificate> cas = new ArrayList<>();
    for (var manager : trust.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        cas.addAll(List.of(x509.getAcceptedIssuers()));
      }
    }
    return cas;
  }
}
