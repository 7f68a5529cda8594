#!/usr/bin/env python3
"""Counts the events it gets and nothing else: the Python side of process_throughput."""
import tickd


class Count(tickd.Observer):
    def start(self, host):
        self.n = 0

    def on_candle(self, candle):
        self.n += 1

    def on_tick(self, tick):
        self.n += 1

    def on_signal(self, signal):
        self.n += 1


if __name__ == "__main__":
    tickd.run(Count)
