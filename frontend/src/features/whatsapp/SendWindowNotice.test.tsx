import { act } from "react";
import { describe, expect, it } from "vitest";
import { SendWindowNotice } from "./SendWindowNotice";
import { useDomRoot } from "@/test/dom-root";

const dom = useDomRoot();

describe("SendWindowNotice", () => {
  it("names the waking hours while they are open", () => {
    act(() => dom.root.render(<SendWindowNotice sendWindow={{ start: "07:00", end: "21:00", open: true, opensAt: "2030-03-05T02:00:00Z" }} pending={3} />));
    const card = dom.container.querySelector("[data-testid=wa-send-window]")!;
    expect(card.getAttribute("data-open")).toBe("true");
    expect(card.textContent).toContain("pukul 07:00–21:00 WIB");
    expect(dom.container.querySelector("[data-testid=wa-send-window-closed]")).toBeNull();
  });

  it("says at night that scheduled messages wait until the window opens", () => {
    act(() => dom.root.render(<SendWindowNotice sendWindow={{ start: "08:30", end: "20:00", open: false, opensAt: "2030-03-05T01:30:00Z" }} pending={12} />));
    expect(dom.container.textContent).toContain("pukul 08:30–20:00 WIB");
    expect(dom.container.querySelector("[data-testid=wa-send-window-closed]")?.textContent).toBe(
      "Di luar jam kirim: 12 pesan terjadwal menunggu sampai 5 Maret 2030, 08:30 WIB.",
    );
  });
});
