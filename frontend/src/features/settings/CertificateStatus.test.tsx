import { act } from "react";
import { describe, expect, it } from "vitest";
import { CertificateStatusView, describeCertificate } from "./CertificateStatus";
import type { Certificate } from "./queries";
import { useDomRoot } from "@/test/dom-root";

const dom = useDomRoot();

const valid: Certificate = {
  domain: "tagihan.wifiku.id",
  state: "valid",
  notAfter: "2027-03-01T08:00:00+00:00",
  issuer: "R11",
  serial: "abc",
  configuredDomain: "tagihan.wifiku.id",
  configuredSslMethod: "letsencrypt",
};

describe("describeCertificate", () => {
  it("says until when a valid certificate is served and who issued it", () => {
    const d = describeCertificate(valid);
    expect(d.label).toBe("Sertifikat aktif");
    expect(d.detail).toContain("berlaku sampai 1 Maret 2027");
    expect(d.detail).toContain("R11");
  });

  it("tells a Let's Encrypt site without a certificate what certbot needs", () => {
    const d = describeCertificate({ ...valid, state: "none", notAfter: null, issuer: null, serial: null });
    expect(d.label).toBe("Belum ada sertifikat");
    expect(d.detail).toContain("port 80");
  });

  it("names expiring and expired certificates", () => {
    expect(describeCertificate({ ...valid, state: "expiring" }).label).toBe("Segera kedaluwarsa");
    expect(describeCertificate({ ...valid, state: "expired" }).label).toBe("Sertifikat kedaluwarsa");
  });
});

describe("CertificateStatusView", () => {
  it("warns when the saved settings differ from what the server runs with", () => {
    act(() => dom.root.render(<CertificateStatusView cert={valid} savedDomain="lain.wifiku.id" savedMethod="letsencrypt" />));
    expect(dom.container.querySelector("[data-testid=certificate-state]")?.textContent).toBe("Sertifikat aktif");
    expect(dom.container.querySelector("[data-testid=certificate-mismatch]")).not.toBeNull();
  });

  it("shows no warning when they agree", () => {
    act(() => dom.root.render(<CertificateStatusView cert={valid} savedDomain="tagihan.wifiku.id" savedMethod="letsencrypt" />));
    expect(dom.container.querySelector("[data-testid=certificate-mismatch]")).toBeNull();
  });
});
