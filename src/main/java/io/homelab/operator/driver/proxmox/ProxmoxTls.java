package io.homelab.operator.driver.proxmox;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS trust for one endpoint. Proxmox serves a self-signed certificate by default: trust a CA
 * bundle (with host name checks), or exactly the certificate with the pinned SHA-256 (the name in
 * it does not matter then: the pin is stronger), or, when asked, anything.
 */
final class ProxmoxTls {

  private ProxmoxTls() {}

  static SSLContext context(ProxmoxEndpoint endpoint) {
    try {
      TrustManager trust;
      if (endpoint.insecure()) {
        trust = new Pinned(null);
      } else if (endpoint.fingerprint() != null) {
        trust = new Pinned(ProxmoxEndpoint.pinnedSha256(endpoint.fingerprint()));
      } else {
        trust = bundle(endpoint.caBundle());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("caBundle cannot be read: " + e.getMessage(), e);
    }
  }

  private static TrustManager bundle(String pem)
      throws GeneralSecurityException, java.io.IOException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))) {
      store.setCertificateEntry("ca-" + i++, c);
    }
    if (i == 0) {
      throw new GeneralSecurityException("no certificate in it");
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers()[0];
  }

  /** Trusts the one certificate whose SHA-256 is pinned; with no pin, trusts anything. */
  private static final class Pinned extends X509ExtendedTrustManager {
    private final byte[] sha256;

    Pinned(byte[] sha256) {
      this.sha256 = sha256;
    }

    private void check(X509Certificate[] chain) throws CertificateException {
      if (sha256 == null) {
        return;
      }
      try {
        byte[] actual = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
        if (!MessageDigest.isEqual(actual, sha256)) {
          throw new CertificateException(
              "the server certificate's SHA-256 is "
                  + java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(actual)
                  + ", not the pinned fingerprint");
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new CertificateException(e);
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("a client never presents a certificate here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("a client never presents a certificate here");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("a client never presents a certificate here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
