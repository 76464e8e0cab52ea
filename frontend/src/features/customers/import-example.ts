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

export const IMPORT_LIMITS_TEXT = "File .csv (pemisah koma atau titik koma), maksimal 5 MB dan 50.000 baris.";

const EXAMPLE_ROWS = [
  ["Ahmad Fauzi", "6281234567890", "0", "5", "WiFi Sukamaju", "Paket 10 Mbps", "100000", "100000", "3201234567890001", "2025-01-15"],
  ["Siti Nurhaliza", "6289876543210", "10000", "10", "WiFi Sukamaju", "Paket 20 Mbps", "150000", "140000", "3201234567890002", "2025-02-01"],
  ["Budi Santoso", "6281122334455", "0", "15", "Net Mekarjaya", "Paket 50 Mbps", "250000", "250000", "", "2025-03-10"],
  ["Dewi Lestari", "6287766554433", "20000", "20", "Net Mekarjaya", "Paket 10 Mbps", "100000", "80000", "3201234567890004", "2025-04-05"],
];

/** The spec's example file, generated in the browser so it needs no server route. */
export function exampleCsv(): string {
  return [IMPORT_COLUMNS.join(","), ...EXAMPLE_ROWS.map((r) => r.join(","))].join("\r\n") + "\r\n";
}

export function downloadExampleCsv(): void {
  const blob = new Blob([exampleCsv()], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = "import-pelanggan.csv";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
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
