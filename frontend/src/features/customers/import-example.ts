import { api, unwrap } from "@/lib/api";

/** The CSV columns the import expects, in the spec's order ("Import CSV Pelanggan"). */
export const IMPORT_COLUMNS = [
  "nama",
  "telepon",
  "diskon",
  "tanggal",
  "area",
  "paket_nama",
  "paket_tarif",
  "total_bayar",
  "nik",
  "tanggal_register",
] as const;

export const IMPORT_LIMITS_TEXT =
  "File .csv (pemisah koma atau titik koma) atau Excel .xlsx (lembar pertama), maksimal 5 MB dan 50.000 baris.";

export type TemplateFormat = "csv" | "xlsx";

/** True for a name the import takes: .csv or .xlsx (the server tells the format by the content anyway). */
export function isImportableName(name: string, mime = ""): boolean {
  return /\.(csv|xlsx)$/i.test(name) || /csv|text\/plain|spreadsheetml/.test(mime);
}

/** What the wizard says before uploading a file it already knows the server refuses; null when it may go. */
export function importFileProblem(name: string, mime = ""): string | null {
  if (/\.xls$/i.test(name)) {
    return "File Excel lama (.xls) tidak didukung. Simpan ulang sebagai \"Buku Kerja Excel (.xlsx)\" atau CSV.";
  }
  return isImportableName(name, mime) ? null : "File harus berformat CSV (.csv) atau Excel (.xlsx).";
}

/** Download name of each template (the server sends the same in Content-Disposition). */
export const TEMPLATE_FILENAMES: Record<TemplateFormat, string> = {
  csv: "template-import-pelanggan.csv",
  xlsx: "template-import-pelanggan.xlsx",
};

/**
 * Save the server's import template: the expected header and an example row that uses a real mitra and
 * package of this installation. The request needs the bearer token, so it goes through the API client.
 */
export async function downloadImportTemplate(format: TemplateFormat): Promise<void> {
  const blob = (await unwrap(
    api.GET("/api/customers/import/template", { params: { query: { format } }, parseAs: "blob" }),
  )) as unknown as Blob;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = TEMPLATE_FILENAMES[format];
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Column → label shown beside a row's error. */
export const IMPORT_FIELD_LABELS: Record<string, string> = {
  nama: "Nama",
  telepon: "Telepon",
  diskon: "Diskon",
  tanggal: "Tanggal",
  area: "Area",
  paket_nama: "Paket",
  paket_tarif: "Tarif",
  total_bayar: "Total bayar",
  nik: "NIK",
  tanggal_register: "Tgl register",
};
