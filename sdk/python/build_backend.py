"""A PEP 517 build backend from the standard library alone: packs the tickd
package into a wheel, so that `pip install sdk/python` needs no network
(setuptools would have to be fetched into pip's isolated build environment).
"""

import base64
import hashlib
import os
import zipfile

NAME = "tickd"
VERSION = "1.0.0"
HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "py3-none-any"
METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Write tickd observers (strategies, alerts) in Python
Requires-Python: >=3.11
"""


def _record_line(path, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def _files():
    package = os.path.join(HERE, NAME)
    for name in sorted(os.listdir(package)):
        if name.endswith(".py"):
            with open(os.path.join(package, name), "rb") as f:
                yield f"{NAME}/{name}", f.read()


def _write_wheel(directory, editable=False):
    wheel = f"{NAME}-{VERSION}-{TAG}.whl"
    info = f"{NAME}-{VERSION}.dist-info"
    entries = [(f"{NAME}.pth", (HERE + "\n").encode())] if editable else list(_files())
    entries += [(f"{info}/METADATA", METADATA.encode()),
                (f"{info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: tickd\nRoot-Is-Purelib: true\nTag: {TAG}\n".encode())]
    record = [_record_line(path, data) for path, data in entries] + [f"{info}/RECORD,,"]
    with zipfile.ZipFile(os.path.join(directory, wheel), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in entries:
            z.writestr(path, data)
        z.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return wheel


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _write_wheel(wheel_directory, editable=True)
