import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SettingKey } from "./queries";
import { RetentionFields } from "./RetentionFields";
import { RETENTION_FIELDS } from "./retention";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function render(values: Partial<Record<SettingKey, string>>, errors: Partial<Record<SettingKey, string[]>> = {}) {
  const changes: [SettingKey, string][] = [];
  act(() =>
    root.render(
      <RetentionFields value={(k) => values[k] ?? ""} set={(k, v) => changes.push([k, v])} err={(k) => errors[k]} />,
    ),
  );
  return changes;
}

describe("RetentionFields", () => {
  it("labels every retention key in days and says invoices are never deleted", () => {
    render({ retention_wa_logs_days: "180", retention_jobs_days: "0" });
    expect(container.querySelector("[data-testid=retention-note]")?.textContent).toContain("Tagihan dan pembayaran tidak pernah dihapus");
    for (const f of RETENTION_FIELDS) {
      const label = container.querySelector(`label[for=${f.key}]`);
      expect(label?.textContent).toBe(f.label);
      expect(container.querySelector<HTMLInputElement>(`#${f.key}`)?.type).toBe("number");
    }
    expect(container.textContent).toContain("180 hari (± 6 bulan).");
    expect(container.textContent).toContain("Disimpan selamanya.");
  });

  it("shows the server's field error in place of the hint and marks the input", () => {
    const message = "Isi jumlah hari berupa bilangan bulat: 0 (simpan selamanya) atau 7–3650 hari.";
    render({ retention_login_attempts_days: "3" }, { retention_login_attempts_days: [message] });
    const input = container.querySelector<HTMLInputElement>("#retention_login_attempts_days")!;
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(container.querySelector("#retention_login_attempts_days-error")?.textContent).toBe(message);
  });

  it("hands each edit to the form", () => {
    const changes = render({ retention_activity_days: "365" });
    const input = container.querySelector<HTMLInputElement>("#retention_activity_days")!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    act(() => {
      setValue.call(input, "730");
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(changes).toEqual([["retention_activity_days", "730"]]);
  });
});
