"""`python -m bench` (`make bench`) runs every benchmark in turn; see bench/README.md."""

import subprocess
import sys
from pathlib import Path


def main() -> None:
    """Run each bench/*_bench.py in its own interpreter; exit non-zero if any failed."""
    names = sorted(p.stem for p in Path(__file__).parent.glob("*_bench.py"))
    failed = [n for n in names if subprocess.run([sys.executable, "-m", f"bench.{n}"]).returncode]
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
