"""`cmake --install` puts the module where a Python interpreter imports it from."""
import glob
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def test_installed_module_imports_and_works(tmp_path, tiny_files):
    build = os.environ.get("COLLABGRAPH_BUILD_DIR") or os.path.join(ROOT, "build")
    if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
        pytest.skip(f"no build tree at {build}")
    prefix = tmp_path / "prefix"
    subprocess.run(["cmake", "--install", build, "--component", "python", "--prefix", str(prefix)],
                   check=True, capture_output=True)
    found = glob.glob(str(prefix / "**" / "collabgraph*.so"), recursive=True)
    assert len(found) == 1, found
    site = os.path.dirname(found[0])
    assert site.endswith("dist-packages")
    code = ("import collabgraph, sys\n"
            "db = collabgraph.Database(sys.argv[1])\n"
            "db.ingest(sys.argv[2:], resolve=False)\n"
            "print(collabgraph.__file__)\n"
            "print(db.stats()['papers'])\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = site
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "db"), *tiny_files],
                         capture_output=True, text=True, env=env, check=True).stdout.split()
    assert out[0] == found[0]
    assert int(out[1]) > 0
