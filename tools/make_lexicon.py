"""Write the common-English word list the spelling corrector leaves alone.

    python3 tools/make_lexicon.py [--american FILE] [--british FILE]

Reads SCOWL's size-35 lists as Debian ships them (packages ``wamerican-small`` and ``wbritish-small``:
/usr/share/dict/american-english-small and british-english-small), keeps lower-case alphabetic words of
four letters or more (the corrector never respells shorter words) and writes them, one per line and
sorted, to ``ldn_browser/core/search/lexicon/common-english.txt.gz`` beside SCOWL's copyright notice.

Why: a word from this list that the knowledge base does not contain is a real word, not a typo
("fibre", "genetic", "patent"); respelling it to the nearest KB word ("fibro", "generic", "patient")
sends a clinician to the wrong entry.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "ldn_browser" / "core" / "search" / "lexicon" / "common-english.txt.gz"
DICT = Path("/usr/share/dict")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--american", type=Path, default=DICT / "american-english-small")
    parser.add_argument("--british", type=Path, default=DICT / "british-english-small")
    args = parser.parse_args()
    found: set[str] = set()
    for path in (args.american, args.british):
        for line in path.read_text(encoding="utf-8").splitlines():
            word = line.strip()
            if len(word) >= 4 and re.fullmatch(r"[a-z]+", word):
                found.add(word)
    OUT.write_bytes(gzip.compress(("\n".join(sorted(found)) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(found)} words -> {OUT}")


if __name__ == "__main__":
    main()
