#!/usr/bin/env python3
"""Seed corpora for the decoder fuzzers, made from the recorded exchange data.

usage: make_seeds.py <data dir> <output dir>
Writes <output>/binance/, <output>/kite/, <output>/smartapi/ and <output>/telegram/
(one input per file).
"""
import base64
import json
import os
import struct
import sys


def write(directory, name, data):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def binance_seeds(data_dir, out):
    """A few frames of every kind from each recorded capture (prefix "<time>: " removed)."""
    capture_dir = os.path.join(data_dir, "binance-ws-2021")
    for log in sorted(os.listdir(capture_dir)):
        per_kind = {}
        with open(os.path.join(capture_dir, log), encoding="utf-8") as f:
            for line in f:
                if not line[:1].isdigit() or ": " not in line:
                    continue
                frame = line.split(": ", 1)[1].rstrip("\n")
                try:
                    kind = json.loads(frame).get("data", {}).get("e", "other")
                except ValueError:
                    continue
                if per_kind.get(kind, 0) >= 4 or len(frame) > 4096:
                    continue
                per_kind[kind] = per_kind.get(kind, 0) + 1
                write(out, "%s-%s-%d" % (log.split(".")[0], kind, per_kind[kind]), frame.encode())
    write(out, "ack", b'{"result":null,"id":1}')
    write(out, "error", b'{"code":2,"msg":"Invalid request"}')
    write(out, "raw-trade", b'{"e":"trade","E":123456789,"s":"BTCUSDT","t":12345,"p":"0.001","q":"100",'
                            b'"b":88,"a":50,"T":123456785,"m":true,"M":true}')
    write(out, "klines-rest", b'[[1617566580000,"57994.6","58018.03","57974.41","57999.99","23.067122",'
                              b'1617566639999,"1337913.58654308",1020,"11.413347","661954.86510045","0"]]')


def kite_frame(packets):
    out = struct.pack(">H", len(packets))
    for p in packets:
        out += struct.pack(">H", len(p)) + p
    return out


def kite_seeds(data_dir, out):
    """The recorded full and quote packets framed as the ticker sends them."""
    packets = {}
    for name in ("ticker_full", "ticker_quote"):
        with open(os.path.join(data_dir, "kite", name + ".packet"), "rb") as f:
            packets[name] = base64.b64decode(f.read())
    ltp = struct.pack(">II", 408065, 157315)
    index = struct.pack(">IIIIIIII", 256265, 1572250, 1573000, 1565000, 1566000, 1570000, 2250, 1625461887)
    write(out, "full", kite_frame([packets["ticker_full"]]))
    write(out, "quote", kite_frame([packets["ticker_quote"]]))
    write(out, "ltp", kite_frame([ltp]))
    write(out, "index", kite_frame([index, index[:28]]))
    write(out, "mixed", kite_frame([packets["ticker_quote"], ltp, packets["ticker_full"]]))
    write(out, "heartbeat", b"\x00")


def smartapi_packet(mode, exchange, token, ltp, volume):
    """Spec-built SmartAPI V2 packet (no recorded SmartAPI data exists)."""
    out = struct.pack("<BB25sqqq", mode, exchange, token.encode(), 25473419, 1700462701000, ltp)
    if mode == 1:
        return out
    out += struct.pack("<qqqddqqqq", 12, ltp - 40, volume, 412377.0, 598712.0, ltp - 300, ltp + 200, ltp - 500, ltp - 100)
    if mode == 2:
        return out
    out += struct.pack("<qqd", 1700462700, 0, 0.5)
    for i in range(10):
        out += struct.pack("<hqqh", 1 if i < 5 else 0, 100 + i, ltp + (5 * i if i >= 5 else -5 * i), 1 + i)
    out += struct.pack("<qqqq", ltp + 20000, ltp - 20000, ltp + 30000, ltp - 15000)
    return out


def smartapi_seeds(out):
    write(out, "ltp", smartapi_packet(1, 1, "2885", 233525, 0))
    write(out, "quote", smartapi_packet(2, 1, "2885", 233525, 2917366))
    write(out, "snapquote", smartapi_packet(3, 1, "2885", 233525, 2917366))
    write(out, "currency", smartapi_packet(2, 13, "1151", 832512500, 1000))


def telegram_seeds(out):
    """getUpdates answers carrying each command the bot knows."""
    texts = ["/price BTCUSDT", "/price@tickd_bot btcusdt", "/candles BTCUSDT 1m 3", "/candles X 7q",
             "/chart BTCUSDT 1m", "/status", "/rules", "/subscribe r", "/unsubscribe r", "/help",
             "/candles <b>&amp;</b> 1m 40"]
    for i, text in enumerate(texts):
        update = {"update_id": 1000 + i,
                  "message": {"message_id": i, "date": 1700000000, "text": text,
                              "chat": {"id": 1, "type": "private"}, "from": {"id": 1, "is_bot": False}}}
        write(out, "update-%02d.json" % i, json.dumps({"ok": True, "result": [update]}).encode())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data_dir, out = sys.argv[1], sys.argv[2]
    binance_seeds(data_dir, os.path.join(out, "binance"))
    kite_seeds(data_dir, os.path.join(out, "kite"))
    smartapi_seeds(os.path.join(out, "smartapi"))
    telegram_seeds(os.path.join(out, "telegram"))


if __name__ == "__main__":
    main()
