#!/usr/bin/env python3
"""Reference indicator values for test_strategy, computed independently of the
plugin's incremental C++ code: plain Python that applies TA-Lib's published
formulas (ta-lib 0.4 sources: ta_SMA.c, ta_EMA.c/TA_INT_EMA, ta_RSI.c, ta_MACD.c/
TA_INT_MACD, ta_BBANDS.c with MA type SMA + ta_STDDEV.c, ta_ATR.c + ta_TRANGE.c)
over each full window in batch, with a two-pass population variance. pandas and
TA-Lib are not installed offline, so neither is used.

Input: the first ROWS rows of Binance BTCUSDT 1h klines
(shared data btcusdt-1h/BTCUSDT-1h-2017-2023.csv). Output: btcusdt_1h_first300.json.
Usage: talib_reference.py <csv> <out.json>
"""
import csv
import json
import math
import sys

ROWS = 300


def sma(xs, n):
    return [None if i < n - 1 else sum(xs[i - n + 1:i + 1]) / n for i in range(len(xs))]


def ema_from(xs, n, seed_index):
    """EMA whose first value, at seed_index, is the mean of xs[seed_index-n+1 .. seed_index]."""
    k = 2.0 / (n + 1)
    out = [None] * len(xs)
    prev = sum(xs[seed_index - n + 1:seed_index + 1]) / n
    out[seed_index] = prev
    for i in range(seed_index + 1, len(xs)):
        prev = (xs[i] - prev) * k + prev
        out[i] = prev
    return out


def ema(xs, n):
    return ema_from(xs, n, n - 1)


def rsi(xs, n):
    out = [None] * len(xs)
    gains = [max(xs[i] - xs[i - 1], 0.0) for i in range(1, len(xs))]
    losses = [max(xs[i - 1] - xs[i], 0.0) for i in range(1, len(xs))]
    avg_gain = sum(gains[:n]) / n
    avg_loss = sum(losses[:n]) / n
    for i in range(n, len(xs)):
        if i > n:
            avg_gain = (avg_gain * (n - 1) + gains[i - 1]) / n
            avg_loss = (avg_loss * (n - 1) + losses[i - 1]) / n
        total = avg_gain + avg_loss
        out[i] = 100.0 * avg_gain / total if abs(total) >= 1e-8 else 0.0
    return out


def macd(xs, fast, slow, signal):
    # TA-Lib starts both EMAs at index slow-1; the fast one is seeded with the
    # mean of the `fast` closes ending there.
    start = slow - 1
    fast_ema = ema_from(xs, fast, start)
    slow_ema = ema_from(xs, slow, start)
    line = [None if i < start else fast_ema[i] - slow_ema[i] for i in range(len(xs))]
    sig = [None] * len(xs)
    sig_tail = ema(line[start:], signal)
    for i, v in enumerate(sig_tail):
        sig[start + i] = v
    first = start + signal - 1
    line = [None if i < first else line[i] for i in range(len(xs))]
    hist = [None if i < first else line[i] - sig[i] for i in range(len(xs))]
    return line, sig, hist


def bbands(xs, n, k):
    mid, up, low = [None] * len(xs), [None] * len(xs), [None] * len(xs)
    for i in range(n - 1, len(xs)):
        w = xs[i - n + 1:i + 1]
        m = sum(w) / n
        sd = math.sqrt(sum((x - m) ** 2 for x in w) / n)
        mid[i], up[i], low[i] = m, m + k * sd, m - k * sd
    return up, mid, low


def atr(high, low, close, n):
    tr = [None] + [max(high[i] - low[i], abs(high[i] - close[i - 1]), abs(low[i] - close[i - 1]))
                   for i in range(1, len(close))]
    out = [None] * len(close)
    prev = sum(tr[1:n + 1]) / n
    out[n] = prev
    for i in range(n + 1, len(close)):
        prev = (prev * (n - 1) + tr[i]) / n
        out[i] = prev
    return out


def session_vwap(times, high, low, close, volume):
    out, day, pv, v = [], None, 0.0, 0.0
    for t, h, l, c, vol in zip(times, high, low, close, volume):
        if t // 86400000 != day:
            day, pv, v = t // 86400000, 0.0, 0.0
        pv += (h + l + c) / 3.0 * vol
        v += vol
        out.append(pv / v if v > 0 else None)
    return out


def main():
    src, dst = sys.argv[1], sys.argv[2]
    rows = []
    with open(src, newline="") as f:
        for row in csv.DictReader(f):
            rows.append(row)
            if len(rows) == ROWS:
                break
    t = [int(r["date"]) for r in rows]
    h = [float(r["high"]) for r in rows]
    l = [float(r["low"]) for r in rows]
    c = [float(r["close"]) for r in rows]
    v = [float(r["volume"]) for r in rows]
    line, sig, hist = macd(c, 12, 26, 9)
    up, mid, low = bbands(c, 20, 2.0)
    out = {
        "source": "talib_reference.py: TA-Lib formulas in plain Python over "
                  "btcusdt-1h/BTCUSDT-1h-2017-2023.csv, first %d rows" % ROWS,
        "rows": ROWS,
        "open_time": t,
        "sma_20": sma(c, 20),
        "ema_20": ema(c, 20),
        "rsi_14": rsi(c, 14),
        "macd_12_26_9": line,
        "macd_signal_12_26_9": sig,
        "macd_hist_12_26_9": hist,
        "bb_upper_20_2": up,
        "bb_middle_20_2": mid,
        "bb_lower_20_2": low,
        "atr_14": atr(h, l, c, 14),
        "vwap_utc_day": session_vwap(t, h, l, c, v),
    }
    with open(dst, "w") as f:
        json.dump(out, f, indent=0)
        f.write("\n")


if __name__ == "__main__":
    main()
