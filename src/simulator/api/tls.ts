/**
 * TLS material for the simulator: a self-signed CA and a serving certificate for 127.0.0.1/localhost,
 * and client certificates (CN = user, O = groups). Keys come from node:crypto; node-forge builds and
 * signs the X.509 certificates (node:crypto cannot create certificates).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** PEM-encoded certificate and key. */
export interface CertKey {
  cert: string;
  key: string;
}

/** A CA plus a serving certificate signed by it. */
export interface ServerTls {
  ca: CertKey;
  serving: CertKey;
}

function rsaKey(): { pub: forge.pki.PublicKey; priv: forge.pki.rsa.PrivateKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
  return { pub, priv, pem };
}

function baseCert(pub: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = `01${randomBytes(8).toString('hex')}`;
  c.validity.notBefore = new Date(Date.now() - 60_000);
  c.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  return c;
}

/** Creates a self-signed CA named `commonName`. */
export function createCA(commonName = 'kube-forecast-sim-ca'): CertKey {
  const caKey = rsaKey();
  const ca = baseCert(caKey.pub, 365);
  const caName = [{ name: 'commonName', value: commonName }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true },
  ]);
  ca.sign(caKey.priv, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(ca), key: caKey.pem };
}

/** Names a serving certificate is valid for. */
export interface AltNames {
  dns: readonly string[];
  ips: readonly string[];
}

/** Issues a serving certificate (CN `commonName`) signed by `ca` for the given DNS names and IPs. */
export function issueServingCert(ca: CertKey, commonName: string, altNames: AltNames): CertKey {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caPriv = forge.pki.privateKeyFromPem(ca.key) as forge.pki.rsa.PrivateKey;
  const sKey = rsaKey();
  const s = baseCert(sKey.pub, 365);
  s.setSubject([{ name: 'commonName', value: commonName }]);
  s.setIssuer(caCert.subject.attributes);
  s.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [...altNames.ips.map((ip) => ({ type: 7, ip })), ...altNames.dns.map((value) => ({ type: 2, value }))],
    },
  ]);
  s.sign(caPriv, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(s), key: sKey.pem };
}

/** Creates a CA and a serving certificate for `127.0.0.1` and `localhost`. */
export function createServerTls(): ServerTls {
  const ca = createCA();
  return { ca, serving: issueServingCert(ca, 'kube-apiserver', { ips: ['127.0.0.1'], dns: ['localhost'] }) };
}

/** Issues a client certificate signed by `ca` with CN = user and one O per group. */
export function issueClientCert(ca: CertKey, user: string, groups: readonly string[]): CertKey {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caPriv = forge.pki.privateKeyFromPem(ca.key) as forge.pki.rsa.PrivateKey;
  const k = rsaKey();
  const c = baseCert(k.pub, 365);
  c.setSubject([...groups.map((g) => ({ name: 'organizationName', value: g })), { name: 'commonName', value: user }]);
  c.setIssuer(caCert.subject.attributes);
  c.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  c.sign(caPriv, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(c), key: k.pem };
}
