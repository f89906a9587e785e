import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A certificate and its key, in PEM. */
interface Issued {
  readonly certPem: string;
  readonly keyPem: string;
  /** The certificate's serial in decimal: acp's certId. */
  readonly certId: string;
}

interface Signer {
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
}

function name(cn: string, ou: string): forge.pki.CertificateField[] {
  // UTF8String, so a Chinese name reads back as written.
  return [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: 'China UnionPay Double' },
    { shortName: 'OU', value: ou },
    { shortName: 'CN', value: cn, valueTagClass: forge.asn1.Type.UTF8 as never },
  ];
}

function issue(cn: string, ou: string, issuer: Signer | 'self', ca: boolean) {
  // node:crypto makes the key (forge's pure-JS generation takes seconds); forge builds the certificate.
  const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  });
  const privateKey = forge.pki.privateKeyFromPem(pem.toString());
  const keys = { privateKey, publicKey: forge.pki.setRsaPublicKey(privateKey.n, privateKey.e) };
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // A positive serial (first byte below 0x80), 8 bytes.
  cert.serialNumber = `01${randomBytes(7).toString('hex')}`;
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 86_400_000);
  cert.validity.notAfter = new Date(now + 5 * 365 * 86_400_000);
  cert.setSubject(name(cn, ou));
  const signer = issuer === 'self' ? { cert, key: keys.privateKey } : issuer;
  cert.setIssuer(signer.cert.subject.attributes);
  cert.setExtensions(
    ca
      ? [
          { name: 'basicConstraints', cA: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true },
        ],
  );
  cert.sign(signer.key, forge.md.sha256.create());
  const signerOut: Signer = { cert, key: keys.privateKey };
  const issued: Issued = {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: forge.pki.privateKeyToPem(keys.privateKey),
    certId: BigInt(`0x${cert.serialNumber}`).toString(10),
  };
  return { signer: signerOut, issued };
}

/**
 * The double's own UnionPay PKI: a root, an intermediate, and the signing
 * certificate answers and notifications are signed with (named as UnionPay
 * names its own), plus merchant certificates packed as UnionPay issues them
 * (a PKCS#12 .pfx with a password).
 */
export class DoublePki {
  readonly root: Issued;
  readonly middle: Issued;
  readonly signing: Issued;
  private readonly middleSigner: Signer;

  constructor() {
    const root = issue('CFCA Double Root', 'Root', 'self', true);
    const middle = issue('CFCA Double OCA1', 'OCA', root.signer, true);
    const signing = issue('中国银联股份有限公司', '00040000:SIGN', middle.signer, false);
    this.root = root.issued;
    this.middle = middle.issued;
    this.signing = signing.issued;
    this.middleSigner = middle.signer;
  }

  /** A merchant's signing certificate and key in a password-protected .pfx (DER bytes). */
  merchantPfx(merId: string, password: string): { pfx: Buffer; issued: Issued } {
    const made = issue(`Merchant ${merId}`, 'Merchant', this.middleSigner, false);
    const asn1 = forge.pkcs12.toPkcs12Asn1(made.signer.key, [made.signer.cert], password, {
      algorithm: '3des',
    });
    return { pfx: Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'), issued: made.issued };
  }
}
