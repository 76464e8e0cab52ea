import { act } from "react";
import { describe, expect, it } from "vitest";
import type { SettingKey } from "./queries";
import { RetentionFields } from "./RetentionFields";
import { RETENTION_FIELDS } from "./retention";
import { useDomRoot } from "@/test/dom-root";

const dom = useDomRoot();

function render(values: Partial<Record<SettingKey, string>>, errors: Partial<Record<SettingKey, string[]>> = {}) {
  const changes: [SettingKey, string][] = [];
  act(() =>
    dom.root.render(
      <RetentionFields value={(k) => values[k] ?? ""} set={(k, v) => changes.push([k, v])} err={(k) => errors[k]} />,
    ),
  );
  return changes;
}

describe("RetentionFields", () => {
  it("labels every retention key in days and says invoices are never deleted", () => {
    render({ retention_wa_logs_days: "180", retention_jobs_days: "0" });
    expect(dom.container.querySelector("[data-testid=retention-note]")?.textContent).toContain("Tagihan dan pembayaran tidak pernah dihapus");
    for (const f of RETENTION_FIELDS) {
      const label = dom.container.querySelector(`label[for=${f.key}]`);
      expect(label?.textContent).toBe(f.label);
      expect(dom.container.querySelector<HTMLInputElement>(`#${f.key}`)?.type).toBe("number");
    }
    expect(dom.container.textContent).toContain("180 hari (± 6 bulan).");
    expect(dom.container.textContent).toContain("Disimpan selamanya.");
  });

  it("shows the server's field error in place of the hint and marks the input", () => {
    const message = "Isi jumlah hari berupa bilangan bulat: 0 (simpan selamanya) atau 7–3650 hari.";
    render({ retention_login_attempts_days: "3" }, { retention_login_attempts_days: [message] });
    const input = dom.container.querySelector<HTMLInputElement>("#retention_login_attempts_days")!;
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(dom.container.querySelector("#retention_login_attempts_days-error")?.textContent).toBe(message);
  });

  it("hands each edit to the form", () => {
    const changes = render({ retention_activity_days: "365" });
    const input = dom.container.querySelector<HTMLInputElement>("#retention_activity_days")!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    act(() => {
      setValue.call(input, "730");
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(changes).toEqual([["retention_activity_days", "730"]]);
  });
});
