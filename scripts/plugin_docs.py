#!/usr/bin/env python3
"""The config key tables of the bundled plugins in docs/, generated from what
each plugin declares (`tickd --describe-plugin NAME --markdown`).

A table sits between two markers:

    <!-- config-keys: logger -->
    | Key | Type | Default | Description |
    ...
    <!-- /config-keys -->

    scripts/plugin_docs.py --tickd build/bin/tickd           # rewrite the tables
    scripts/plugin_docs.py --tickd build/bin/tickd --check   # exit 1 when one drifted

Every plugin `tickd --list-plugins` finds that declares a schema must have a
table in one of the docs (else --check fails too).
"""
import argparse
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = [ROOT / "docs" / "PLUGINS.md", ROOT / "docs" / "STRATEGIES_AND_ALERTS.md", ROOT / "docs" / "NOTIFIERS.md"]
LISTED = re.compile(r"^([a-z0-9_]+)\s+\S+\s+ABI ", re.M)
BLOCK = re.compile(r"(<!-- config-keys: ([a-z0-9_]+) -->\n)(.*?)(<!-- /config-keys -->)", re.S)


def table(tickd, plugin):
    run = subprocess.run([tickd, "--describe-plugin", plugin, "--markdown"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"tickd --describe-plugin {plugin} failed: {run.stderr.strip()}")
    return run.stdout


def installed_plugins(tickd):
    """The names --list-plugins shows (exit 1 there only means one file is broken)."""
    run = subprocess.run([tickd, "--list-plugins"], capture_output=True, text=True)
    return set(LISTED.findall(run.stdout))


def declares_schema(tickd, plugin):
    run = subprocess.run([tickd, "--describe-plugin", plugin, "--markdown"], capture_output=True, text=True)
    return run.returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickd", required=True, help="the tickd binary (its plugins next to it)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on any difference")
    args = parser.parse_args()

    drifted = []
    found = 0
    documented = set()
    for doc in DOCS:
        text = doc.read_text()
        def replace(m):
            nonlocal found
            found += 1
            documented.add(m.group(2))
            fresh = table(args.tickd, m.group(2))
            if fresh != m.group(3):
                drifted.append(f"{doc.relative_to(ROOT)}: {m.group(2)}")
            return m.group(1) + fresh + m.group(4)
        updated = BLOCK.sub(replace, text)
        if not args.check and updated != text:
            doc.write_text(updated)
    if found == 0:
        sys.exit("no <!-- config-keys: NAME --> blocks found")
    missing = [p for p in sorted(installed_plugins(args.tickd) - documented) if declares_schema(args.tickd, p)]
    if missing:
        print("plugins that declare config keys but have no <!-- config-keys: NAME --> table in "
              + ", ".join(str(d.relative_to(ROOT)) for d in DOCS) + ": " + ", ".join(missing))
        if args.check:
            return 1
    if drifted and args.check:
        print("config key tables differ from what the plugins declare (run scripts/plugin_docs.py "
              "--tickd BUILD/bin/tickd):\n  " + "\n  ".join(drifted))
        return 1
    if not args.check:
        print("updated: " + (", ".join(drifted) if drifted else "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
