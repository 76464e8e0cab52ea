import { act } from "react";
import { describe, expect, it } from "vitest";
import type { SettingKey } from "./queries";
import { SendWindowFields, timeChoices } from "./SendWindowFields";
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
    expect(dom.container.querySelector("#wa_send_window_start")?.textContent).toBe("07:00");
    expect(dom.container.querySelector("#wa_send_window_end")?.textContent).toBe("21:00");
    expect(dom.container.querySelector("[data-testid=send-window-note]")?.textContent).toContain("Pengingat tagihan dan kirim massal hanya dikirim");
  });

  it("shows the server's error on the end time", () => {
    const message = "Jam selesai harus setelah jam mulai (di hari yang sama).";
    render({ wa_send_window_start: "21:00", wa_send_window_end: "07:00" }, { wa_send_window_end: [message] });
    expect(dom.container.querySelector("#wa_send_window_end")?.getAttribute("aria-invalid")).toBe("true");
    expect(dom.container.querySelector("#wa_send_window_end-error")?.textContent).toBe(message);
  });

  it("offers every half hour on a 24-hour clock, and keeps a stored time that is not on one", () => {
    const choices = timeChoices("07:00");
    expect(choices).toHaveLength(48);
    expect([choices[0], choices[14], choices[42], choices[47]]).toEqual(["00:00", "07:00", "21:00", "23:30"]);
    expect(timeChoices("08:15")).toContain("08:15");
    expect(timeChoices("08:15").indexOf("08:15")).toBe(timeChoices("08:15").indexOf("08:00") + 1);
  });
});
