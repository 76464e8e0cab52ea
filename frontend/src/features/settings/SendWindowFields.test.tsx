import { act } from "react";
import { describe, expect, it } from "vitest";
import type { SettingKey } from "./queries";
import { SendWindowFields } from "./SendWindowFields";
import { useDomRoot } from "@/test/dom-root";

const dom = useDomRoot();

function render(values: Partial<Record<SettingKey, string>>, errors: Partial<Record<SettingKey, string[]>> = {}) {
  const changes: [SettingKey, string][] = [];
  act(() => dom.root.render(<SendWindowFields value={(k) => values[k] ?? ""} set={(k, v) => changes.push([k, v])} err={(k) => errors[k]} />));
  return changes;
}

describe("SendWindowFields", () => {
  it("shows both WIB times as time inputs and says what the window is for", () => {
    render({ wa_send_window_start: "07:00", wa_send_window_end: "21:00" });
    expect(dom.container.querySelector<HTMLInputElement>("#wa_send_window_start")?.value).toBe("07:00");
    expect(dom.container.querySelector<HTMLInputElement>("#wa_send_window_end")?.type).toBe("time");
    expect(dom.container.querySelector("[data-testid=send-window-note]")?.textContent).toContain("Pengingat tagihan dan kirim massal hanya dikirim");
  });

  it("shows the server's error on the end time and hands edits to the form", () => {
    const message = "Jam selesai harus setelah jam mulai (di hari yang sama).";
    const changes = render({ wa_send_window_start: "21:00", wa_send_window_end: "07:00" }, { wa_send_window_end: [message] });
    expect(dom.container.querySelector("#wa_send_window_end")?.getAttribute("aria-invalid")).toBe("true");
    expect(dom.container.querySelector("#wa_send_window_end-error")?.textContent).toBe(message);
    const input = dom.container.querySelector<HTMLInputElement>("#wa_send_window_start")!;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
    act(() => {
      setValue.call(input, "06:30");
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(changes).toEqual([["wa_send_window_start", "06:30"]]);
  });
});
