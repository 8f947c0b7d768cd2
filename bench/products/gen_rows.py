#!/usr/bin/env python3
"""Deterministic benchmark rows for the data-product benchmarks (docs/benchmarks.md).

Usage: gen_rows.py N OUT.csv      (OUT.csv may be - for standard output)
       gen_rows.py --bydeler       (prints the 50 bydel values, one a line)

Writes a header and N rows  id,kommune,bydel,year,value,name:
  id       1..N (unique, in order)
  kommune  4-digit municipality code as a string ("0301" Oslo, "4601" Bergen, "5001" Trondheim,
           "1103" Stavanger), the one the bydel belongs to
  bydel    exactly 50 distinct values: Oslo's 15 bydeler + Sentrum and Marka, and bydeler of
           Bergen, Trondheim and Stavanger (UTF-8, some with æ ø å)
  year     2000..2025
  value    decimal with 2 decimals, 0.00..99999.99
  name     short random text (2-3 words and a number)

The same N always gives the same file (fixed seed). 1M rows ≈ 47 MB; a limit=100 JSON page of
these rows is ≈ 10-11 KB. Streams: 10M rows take about a minute and little memory.
"""
import random
import sys

SEED = 20261123

BYDELER = [
    # Oslo (0301): 15 bydeler + Sentrum + Marka = 17
    ("0301", "Gamle Oslo"), ("0301", "Grünerløkka"), ("0301", "Sagene"), ("0301", "St. Hanshaugen"),
    ("0301", "Frogner"), ("0301", "Ullern"), ("0301", "Vestre Aker"), ("0301", "Nordre Aker"),
    ("0301", "Bjerke"), ("0301", "Grorud"), ("0301", "Stovner"), ("0301", "Alna"),
    ("0301", "Østensjø"), ("0301", "Nordstrand"), ("0301", "Søndre Nordstrand"), ("0301", "Sentrum"),
    ("0301", "Marka"),
    # Bergen (4601): 8
    ("4601", "Arna"), ("4601", "Bergenhus"), ("4601", "Fana"), ("4601", "Fyllingsdalen"),
    ("4601", "Laksevåg"), ("4601", "Ytrebygda"), ("4601", "Årstad"), ("4601", "Åsane"),
    # Trondheim (5001): 4 bydeler + older district names = 13
    ("5001", "Midtbyen"), ("5001", "Østbyen"), ("5001", "Lerkendal"), ("5001", "Heimdal"),
    ("5001", "Byåsen"), ("5001", "Strinda"), ("5001", "Ranheim"), ("5001", "Saupstad"),
    ("5001", "Tiller"), ("5001", "Moholt"), ("5001", "Nardo"), ("5001", "Lade"),
    ("5001", "Charlottenlund"),
    # Stavanger (1103): 12
    ("1103", "Eiganes og Våland"), ("1103", "Hundvåg"), ("1103", "Hillevåg"), ("1103", "Hinna"),
    ("1103", "Madla"), ("1103", "Storhaug"), ("1103", "Tasta"), ("1103", "Sentrum Stavanger"),
    ("1103", "Finnøy"), ("1103", "Rennesøy"), ("1103", "Jåtten"), ("1103", "Gausel"),
]
assert len(BYDELER) == 50 and len({b for _, b in BYDELER}) == 50

WORDS = (
    "blå rød grønn gul stor liten gammel ny nord sør øst vest høy lav lys mørk "
    "hus vei gate park skole torg bro elv skog berg dal strand brygge hage plass "
    "hjørne kirke bakke tun lund mo haug vik nes"
).split()


def main() -> int:
    if sys.argv[1:] == ["--bydeler"]:
        sys.stdout.write("".join(b + "\n" for _, b in BYDELER))
        return 0
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    n = int(sys.argv[1])
    rng = random.Random(SEED)
    rand = rng.random
    nb, nw = len(BYDELER), len(WORDS)
    # Pre-rendered "kommune,bydel," prefixes: the per-row work is a few random numbers and a join.
    prefixes = [f"{k},{b}," for k, b in BYDELER]
    out = sys.stdout if sys.argv[2] == "-" else open(sys.argv[2], "w", encoding="utf-8", newline="")
    with out:
        out.write("id,kommune,bydel,year,value,name\n")
        buf = []
        for i in range(1, n + 1):
            cents = int(rand() * 10_000_000)
            name = WORDS[int(rand() * nw)] + " " + WORDS[int(rand() * nw)]
            if rand() < 0.5:
                name += " " + WORDS[int(rand() * nw)]
            buf.append(
                f"{i},{prefixes[int(rand() * nb)]}{2000 + int(rand() * 26)},"
                f"{cents // 100}.{cents % 100:02d},{name} {int(rand() * 100)}\n"
            )
            if len(buf) == 10000:
                out.write("".join(buf))
                buf.clear()
        out.write("".join(buf))
    return 0


if __name__ == "__main__":
    sys.exit(main())
