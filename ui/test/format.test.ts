import { since, countdown, looksLikeEmail, remaining, retryLabel } from "../../crates/tauri-plugin-beckon/guest-js/format";

describe("countdown", () => {
  it("shows minutes and padded seconds", () => {
    expect(countdown(300_000, 0)).toBe("5:00");
    expect(countdown(65_000, 0)).toBe("1:05");
  });
  it("rounds partial seconds up and never goes negative", () => {
    expect(countdown(1_500, 0)).toBe("0:02");
    expect(countdown(0, 10_000)).toBe("0:00");
  });
});

describe("looksLikeEmail", () => {
  it.each(["ada@example.com", " ada@example.co.uk "])("accepts %s", (e) => {
    expect(looksLikeEmail(e)).toBe(true);
  });
  it.each(["", "ada", "ada@", "@example.com", "ada@example", "a b@example.com", "a@b@example.com", "ada@example."])(
    "refuses %j",
    (e) => {
      expect(looksLikeEmail(e)).toBe(false);
    },
  );
});

describe("retryLabel", () => {
  it("offers a new link after expiry", () => {
    expect(retryLabel("expired")).toBe("Send a new link");
    expect(retryLabel("offline")).toBe("Try again");
    expect(retryLabel("declined")).toBe("Start again");
    expect(retryLabel("server")).toBe("Send link");
  });
});

describe("since", () => {
  it("gives the time today and the day otherwise", () => {
    const at = new Date(2026, 10, 21, 9, 5).getTime();
    expect(since(at, at + 3_600_000, "en-GB")).toBe("Signed in on this computer since 09:05");
    expect(since(at, at + 2 * 86_400_000, "en-GB")).toBe("Signed in on this computer since 21 Nov, 09:05");
  });
});

describe("remaining", () => {
  it("runs from 1 when sent to 0 at expiry, clamped", () => {
    expect(remaining(0, 300_000, 0)).toBe(1);
    expect(remaining(0, 300_000, 150_000)).toBe(0.5);
    expect(remaining(0, 300_000, 400_000)).toBe(0);
    expect(remaining(0, 300_000, -5)).toBe(1);
    expect(remaining(10, 10, 0)).toBe(0);
  });
});
