#!/usr/bin/env python3
"""Seed corpora for the decoder fuzzers, made from the recorded exchange data.

usage: make_seeds.py <data dir> <output dir>
Writes <output>/binance/, <output>/kite/, <output>/smartapi/, <output>/history/, <output>/wire/
<output>/telegram/ and <output>/instrument_master/ (one input per file).
"""
import base64
import gzip
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


def wire_seeds(data_dir, out):
    """Event JSON (tickd/wire.hpp): candles from the real BTCUSDT 1h series, a tick, signals."""
    path = os.path.join(data_dir, "btcusdt-1h", "BTCUSDT-1h-2017-2023.csv")
    with open(path, encoding="utf-8") as f:
        rows = [line.strip().split(",") for line in f if line[:1].isdigit()][:4]
    for i, r in enumerate(rows):
        o, h, l, c, v = (float(x) for x in r[1:6])
        q = v * (o + c) / 2
        candle = {"v": 1, "type": "candle", "seq": i + 1, "symbol": "BTCUSDT", "interval": "1h",
                  "open_time": int(r[0]), "close_time": int(r[0]) + 3600000, "open": o, "high": h,
                  "low": l, "close": c, "volume": v, "quote_volume": q, "vwap": q / v if v else c,
                  "trade_count": 100 + i, "closed": True, "partial": False, "filled": False}
        write(out, "candle-%d" % i, json.dumps(candle, separators=(",", ":")).encode())
    write(out, "tick", b'{"v":1,"type":"tick","symbol":"BTCUSDT","time":1700000000000,"price":37000.5,'
                       b'"quantity":0.01,"trade_id":42,"trade_count":1,"side":"buy"}')
    write(out, "signal", b'{"v":1,"type":"signal","symbol":"BTCUSDT","interval":"1h","time":1700000000000,'
                         b'"side":"sell","strength":1,"price":37000.5,"source":"ema","text":"\\u20b9 \\"x\\""}')
    for name, line in (("ack", b'{"type":"ack","seq":12}'), ("ready", b'{"type":"ready","protocol":1}'),
                       ("log", b'{"type":"log","level":"warn","message":"slow \\u00e9"}'),
                       ("error", b'{"type":"error","seq":3,"message":"boom"}'),
                       ("history", b'{"type":"history","id":7,"symbol":"BTCUSDT","interval":"1h","limit":100}')):
        write(out, "child-" + name, line)
    write(out, "signal-no-interval", b'{"v":1,"type":"signal","symbol":"X","time":0,"side":"neutral",'
                                     b'"strength":0,"price":0,"source":"","text":"","extra":[1,{"a":null}]}')


def history_seeds(out):
    """Kite's and SmartAPI's documented candle answers and errors."""
    write(out, "kite", b'{"status":"success","data":{"candles":[["2021-07-05T09:15:00+0530",1573.4,1578.95,'
                       b'1571.1,1577.5,254375],["2021-07-05T09:16:00+0530",1577.5,1579,1576.05,1578.25,95187,0]]}}')
    write(out, "kite_error", b'{"status":"error","message":"Incorrect api_key or access_token.",'
                             b'"error_type":"TokenException"}')
    write(out, "smartapi", b'{"status":true,"message":"SUCCESS","errorcode":"","data":[["2023-09-06T11:15:00+05:30",'
                           b'19571.2,19573.35,19534.4,19552.05,0]]}')
    write(out, "smartapi_error", b'{"status":false,"message":"Invalid Token","errorcode":"AG8001","data":null}')


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


def instrument_master_seeds(out):
    """Instrument masters: a form byte (0 Kite CSV, 1 SmartAPI JSON, 2 gzip of a Kite CSV), then the text."""
    csv = ("instrument_token,exchange_token,tradingsymbol,name,last_price,expiry,strike,tick_size,lot_size,"
           "instrument_type,segment,exchange\n"
           "408065,1594,INFY,INFOSYS,0,,,0.05,1,EQ,NSE,NSE\n"
           "256265,1001,NIFTY 50,\"NIFTY 50\",0,,0,0,0,EQ,INDICES,NSE\n"
           "5720322,22345,NIFTY24DECFUT,,78.0,2024-12-26,,0.05,75,FUT,NFO-FUT,NFO\n"
           "5720578,22346,NIFTY24DEC24000CE,,23.0,2024-12-26,24000,0.05,75,CE,NFO-OPT,NFO\n").encode()
    entries = [
        {"token": "2885", "symbol": "RELIANCE-EQ", "name": "RELIANCE", "expiry": "", "strike": "-1.000000",
         "lotsize": "1", "instrumenttype": "", "exch_seg": "NSE", "tick_size": "5.000000"},
        {"token": "99926000", "symbol": "Nifty 50", "name": "NIFTY", "expiry": "", "strike": "0.000000",
         "lotsize": "1", "instrumenttype": "AMXIDX", "exch_seg": "NSE", "tick_size": "0.000000"},
        {"token": "35003", "symbol": "NIFTY26DEC24FUT", "name": "NIFTY", "expiry": "26DEC2024",
         "strike": "-1.000000", "lotsize": "75", "instrumenttype": "FUTIDX", "exch_seg": "NFO",
         "tick_size": "10.000000"},
        {"token": "45829", "symbol": "NIFTY04APR2423000CE", "name": "NIFTY", "expiry": "04Apr2024",
         "strike": "2300000.000000", "lotsize": "50", "instrumenttype": "OPTIDX", "exch_seg": "NFO",
         "tick_size": "5.000000"},
    ]
    write(out, "kite.csv", b"\x00" + csv)
    write(out, "smartapi.json", b"\x01" + json.dumps(entries).encode())
    write(out, "kite.csv.gz", b"\x02" + gzip.compress(csv))


def config_schema_seeds(out):
    """Config blocks (first byte even) and schemas (odd), as fuzz_config_schema_decoder reads them."""
    configs = [
        {"url": "http://127.0.0.1:8080/hook", "port": 8080, "ratio": 0.5, "enabled": False, "timeout": "250ms",
         "format": "json", "symbols": ["BTCUSDT", "ETHUSDT"], "retry": {"attempts": 3, "max": "1m"},
         "headers": {"X-A": "b"}, "extra": [1, {"a": None}],
         "rules": [{"type": "cross", "level": 1.5, "side": "up"}, {"type": "move", "percent": 2, "window": "1h"}]},
        {"url": "", "port": 0, "timeout": "1.2.3s", "format": "xml", "symbols": "BTCUSDT",
         "rules": [{"type": "crosss"}], "urll": 1},
    ]
    schemas = [
        [{"type": "string", "name": "url", "required": True},
         {"type": "list", "name": "rules", "items": {"type": "variants", "tag": "type", "variants": [
             {"name": "cross", "keys": [{"type": "number", "name": "level", "min": 0}]}]}},
         {"type": "duration", "name": "timeout", "default": "1s"},
         {"type": "object", "name": "a", "keys": [{"type": "map", "name": "b", "values": {"type": "integer"}}]}],
        [{"type": "choice", "name": "port", "values": [80, "x"]}, {"type": "weird"}, {"name": 5}],
    ]
    for i, c in enumerate(configs):
        write(out, "config-%d.json" % i, b"\x00" + json.dumps(c).encode())
    for i, sch in enumerate(schemas):
        write(out, "schema-%d.json" % i, b"\x01" + json.dumps(sch).encode())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data_dir, out = sys.argv[1], sys.argv[2]
    binance_seeds(data_dir, os.path.join(out, "binance"))
    kite_seeds(data_dir, os.path.join(out, "kite"))
    smartapi_seeds(os.path.join(out, "smartapi"))
    wire_seeds(data_dir, os.path.join(out, "wire"))
    history_seeds(os.path.join(out, "history"))
    telegram_seeds(os.path.join(out, "telegram"))
    instrument_master_seeds(os.path.join(out, "instrument_master"))
    config_schema_seeds(os.path.join(out, "config_schema"))


if __name__ == "__main__":
    main()
