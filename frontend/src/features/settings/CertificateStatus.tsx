import { useQuery } from "@tanstack/react-query";
import { LockKeyhole } from "lucide-react";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { certificateQueryOptions, type Certificate } from "./queries";

const STATE_LABELS: Record<string, { label: string; tone: string }> = {
  none: { label: "Belum ada sertifikat", tone: "text-warning" },
  valid: { label: "Sertifikat aktif", tone: "text-accent" },
  expiring: { label: "Segera kedaluwarsa", tone: "text-warning" },
  expired: { label: "Sertifikat kedaluwarsa", tone: "text-destructive" },
  invalid: { label: "File sertifikat tidak terbaca", tone: "text-destructive" },
};

/** One sentence on the certificate for the settings page: what is served, until when, and what to do if not. */
export function describeCertificate(cert: Certificate): { label: string; tone: string; detail: string } {
  const state = STATE_LABELS[cert.state ?? "none"] ?? STATE_LABELS.none;
  const domain = cert.domain || "(domain belum diisi)";
  let detail: string;
  if (cert.state === "none" || !cert.notAfter) {
    detail =
      cert.configuredSslMethod === "letsencrypt"
        ? `Belum ada sertifikat untuk ${domain}. Layanan certbot memintanya lewat port 80; pastikan domain mengarah ke server ini.`
        : `Tidak ada file sertifikat untuk ${domain} di server.`;
  } else {
    detail = `${domain}: berlaku sampai ${formatDateTime(cert.notAfter)}, diterbitkan oleh ${cert.issuer ?? "-"}.`;
  }
  return { ...state, detail };
}

/** Shown under the domain & SSL fields; the deployment's DOMAIN / SSL_METHOD are what nginx really uses. */
export function CertificateStatusView({ cert, savedDomain, savedMethod }: { cert: Certificate; savedDomain: string; savedMethod: string }) {
  const { label, tone, detail } = describeCertificate(cert);
  const mismatch =
    (!!cert.configuredDomain && !!savedDomain && cert.configuredDomain !== savedDomain) ||
    (!!cert.configuredSslMethod && !!savedMethod && cert.configuredSslMethod !== savedMethod);
  return (
    <div className="bg-muted/60 text-muted-foreground flex gap-2 rounded-lg p-3 text-sm" data-testid="certificate-status">
      <LockKeyhole className={cn("mt-0.5 size-4 shrink-0", tone)} />
      <div className="space-y-1">
        <p>
          <strong className="text-foreground" data-testid="certificate-state">
            {label}
          </strong>{" "}
          {detail}
        </p>
        <p>
          Server berjalan dengan domain <code>{cert.configuredDomain || "-"}</code> dan metode SSL{" "}
          <code>{cert.configuredSslMethod || "-"}</code> (variabel DOMAIN dan SSL_METHOD di docker-compose).
        </p>
        {mismatch ? (
          <p className="text-warning" data-testid="certificate-mismatch">
            Pengaturan di atas berbeda dengan yang dipakai server: ubah DOMAIN / SSL_METHOD di stack lalu deploy ulang.
          </p>
        ) : null}
      </div>
    </div>
  );
}

export function CertificateStatus({ savedDomain, savedMethod }: { savedDomain: string; savedMethod: string }) {
  const q = useQuery(certificateQueryOptions());
  if (q.isPending) return null;
  if (q.isError) return <p className="text-destructive text-sm">{q.error.message}</p>;
  return <CertificateStatusView cert={q.data} savedDomain={savedDomain} savedMethod={savedMethod} />;
}
